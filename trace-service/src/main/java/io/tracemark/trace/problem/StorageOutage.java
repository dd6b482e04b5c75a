package io.tracemark.trace.problem;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import javax.transaction.xa.XAException;

import jakarta.transaction.HeuristicMixedException;
import jakarta.transaction.HeuristicRollbackException;
import jakarta.transaction.RollbackException;
import jakarta.transaction.SystemException;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Recognises a failure that says "the database cannot be reached right now" rather than "this
 * request is wrong" or "the service is broken": the client may retry the same request later.
 */
public final class StorageOutage {

    /** SQL states of PostgreSQL: class 08 (connection exception) and the server shutting down or starting. */
    private static final String CONNECTION_EXCEPTION_CLASS = "08";
    private static final String ADMIN_SHUTDOWN = "57P01";
    private static final String CRASH_SHUTDOWN = "57P02";
    private static final String CANNOT_CONNECT_NOW = "57P03";
    /** The pool (Agroal) marks its time-outs by message only: no SQL state, no subclass. */
    private static final String POOL_ACQUISITION_TIMEOUT = "acquisition timeout";
    /** What the pool answers on a connection it has already dropped as broken: no SQL state either. */
    private static final String POOL_CONNECTION_CLOSED = "connection is closed";

    private StorageOutage() {
    }

    /**
     * True when {@code failure}, one of its causes or one of their suppressed exceptions is a lost or
     * unobtainable database connection. A commit that fails on a dropped connection arrives as the
     * transaction manager's exception with the driver's failure suppressed inside it, not as a cause.
     */
    public static boolean isCauseOf(Throwable failure) {
        boolean completionFailed = false;
        boolean otherDatabaseError = false;
        for (Throwable next : chain(failure)) {
            if (signalsOutage(next)) {
                return true;
            }
            completionFailed |= failedCompletion(next);
            otherDatabaseError |= next instanceof SQLException sql && sql.getSQLState() != null;
        }
        // The transaction manager may report a commit whose connection broke mid-way without the
        // driver's error attached (it only logs it): a failed completion that no database error
        // explains is the database failing to answer, and its outcome is unknown to the service.
        return completionFailed && !otherDatabaseError;
    }

    /** The failure, its causes and everything suppressed in them, each once. */
    private static Set<Throwable> chain(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> pending = new ArrayDeque<>();
        pending.push(failure);
        while (!pending.isEmpty()) {
            Throwable next = pending.pop();
            if (!seen.add(next)) {
                continue;
            }
            if (next.getCause() != null) {
                pending.push(next.getCause());
            }
            for (Throwable suppressed : next.getSuppressed()) {
                pending.push(suppressed);
            }
        }
        return seen;
    }

    /** The transaction manager could not complete a transaction: a commit or rollback the resource did not confirm. */
    private static boolean failedCompletion(Throwable cause) {
        return cause instanceof RollbackException || cause instanceof HeuristicMixedException
                || cause instanceof HeuristicRollbackException || cause instanceof SystemException
                || cause instanceof XAException xa && (xa.errorCode == XAException.XAER_RMFAIL
                        || xa.errorCode == XAException.XAER_RMERR);
    }

    private static boolean signalsOutage(Throwable cause) {
        // A refused connection reaches here as the driver's SQL state 08001, not as a bare
        // ConnectException: those come from other outbound calls and are not the database's.
        if (cause instanceof JDBCConnectionException || cause instanceof SQLTransientConnectionException) {
            return true;
        }
        if (cause instanceof SQLException sql) {
            String state = sql.getSQLState();
            if (state != null && (state.startsWith(CONNECTION_EXCEPTION_CLASS) || state.equals(ADMIN_SHUTDOWN)
                    || state.equals(CRASH_SHUTDOWN) || state.equals(CANNOT_CONNECT_NOW))) {
                return true;
            }
            String message = sql.getMessage();
            String lower = message == null ? "" : message.toLowerCase(Locale.ROOT);
            return sql.getCause() instanceof TimeoutException || lower.contains(POOL_ACQUISITION_TIMEOUT)
                    || state == null && lower.equals(POOL_CONNECTION_CLOSED);
        }
        return false;
    }
}
