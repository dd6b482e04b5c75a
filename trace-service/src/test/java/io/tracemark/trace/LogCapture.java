package io.tracemark.trace;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every record logged in this JVM while it is open, as the service's log handlers receive them:
 * the test's and the service's code log through the one JBoss LogManager.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Logger root = Logger.getLogger("");

    private LogCapture() {
        setLevel(Level.ALL);
    }

    public static LogCapture start() {
        LogCapture capture = new LogCapture();
        capture.root.addHandler(capture);
        return capture;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** The records whose message, parameters filled in, starts with the text. */
    public List<LogRecord> startingWith(String text) {
        return records.stream().filter(record -> text(record).startsWith(text)).toList();
    }

    /** Waits up to the timeout for a record starting with the text; answers those there are. */
    public List<LogRecord> await(String text, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (startingWith(text).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return startingWith(text);
    }

    /** Records at WARNING or above, or carrying a stack trace, as "LEVEL logger: message" lines. */
    public List<String> warningsOrTraces() {
        Predicate<LogRecord> serious = record -> record.getLevel().intValue() >= Level.WARNING.intValue()
                || record.getThrown() != null;
        return records.stream().filter(serious).map(LogCapture::line).toList();
    }

    /** Every record, as "LEVEL logger: message" lines, for a failure's message. */
    public List<String> lines() {
        return records.stream().map(LogCapture::line).toList();
    }

    /** The record's message as logged, its parameters filled in. */
    public static String text(LogRecord record) {
        String message = record instanceof ExtLogRecord logged ? logged.getFormattedMessage() : record.getMessage();
        return message == null ? "" : message;
    }

    private static String line(LogRecord record) {
        return record.getLevel() + " " + record.getLoggerName() + ": " + text(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
    }
}
