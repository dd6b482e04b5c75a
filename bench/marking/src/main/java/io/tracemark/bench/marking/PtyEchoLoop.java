package io.tracemark.bench.marking;

import java.io.IOException;
import java.util.Arrays;

import com.fazecast.jSerialComm.SerialPort;

import io.tracemark.fixtures.marker.PtyPair;

/**
 * The pseudo-terminal link's own limit: jSerialComm on both ends of a socat pair, as the driver's
 * transport and the simulated marker's port open it (semi-blocking reads), one writing a
 * CR-terminated request and reading until the CR of the reply, the other answering each request's
 * CR with a reply. Requests and replies have the sizes of an ascii ENQ and its answer.
 */
final class PtyEchoLoop {

    private static final byte CR = 0x0D;
    private static final int READ_POLL_MILLIS = 100;
    private static final long WAIT_NANOS = 5_000_000_000L;

    private PtyEchoLoop() {
    }

    static BaselineRun run(int warmup, int exchanges, int requestBytes, int replyBytes) throws InterruptedException {
        String variant = "bare pty request/response";
        byte[] request = line(requestBytes);
        byte[] reply = line(replyBytes);
        SerialPort host = null;
        SerialPort marker = null;
        Thread responder = null;
        try (PtyPair pair = PtyPair.open()) {
            host = open(pair.hostPath().toRealPath().toString());
            marker = open(pair.markerPath().toRealPath().toString());
            SerialPort answering = marker;
            responder = new Thread(() -> answer(answering, reply), "bench-pty-responder");
            responder.setDaemon(true);
            responder.start();

            byte[] buffer = new byte[4096];
            long[] roundTrips = new long[exchanges];
            CpuSample first = null;
            long start = 0;
            for (int i = -warmup; i < exchanges; i++) {
                if (i == 0) {
                    first = CpuSample.take();
                    start = System.nanoTime();
                }
                long sent = System.nanoTime();
                if (host.writeBytes(request, request.length) != request.length) {
                    return BaselineRun.failed(variant, requestBytes, replyBytes, "write failed at exchange " + i);
                }
                if (!readLine(host, buffer, sent + WAIT_NANOS)) {
                    return BaselineRun.failed(variant, requestBytes, replyBytes, "no reply at exchange " + i);
                }
                if (i >= 0) {
                    roundTrips[i] = System.nanoTime() - sent;
                }
            }
            long elapsed = System.nanoTime() - start;
            CpuSample last = CpuSample.take();
            return BaselineRun.of(variant, requestBytes, replyBytes, roundTrips, elapsed, first, last, false);
        } catch (IOException e) {
            return BaselineRun.failed(variant, requestBytes, replyBytes, e.toString());
        } finally {
            if (responder != null) {
                responder.interrupt();
            }
            if (host != null) {
                host.closePort();
            }
            if (responder != null) {
                responder.join(2 * READ_POLL_MILLIS + 1000);
            }
            if (marker != null) {
                marker.closePort();
            }
        }
    }

    private static SerialPort open(String device) throws IOException {
        SerialPort port = SerialPort.getCommPort(device);
        port.setComPortParameters(DialectRun.SERIAL_BAUD, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_POLL_MILLIS, 0);
        if (!port.openPort(0)) {
            throw new IOException("cannot open " + device + ": error " + port.getLastErrorCode());
        }
        port.flushIOBuffers();
        return port;
    }

    /** Reads until a CR arrives; false when none came in time or the port failed. */
    private static boolean readLine(SerialPort port, byte[] buffer, long deadline) {
        while (System.nanoTime() < deadline) {
            int n = port.readBytes(buffer, buffer.length);
            if (n < 0) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == CR) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void answer(SerialPort port, byte[] reply) {
        byte[] buffer = new byte[4096];
        while (!Thread.currentThread().isInterrupted()) {
            int n = port.readBytes(buffer, buffer.length);
            if (n < 0) {
                return;
            }
            for (int i = 0; i < n; i++) {
                if (buffer[i] == CR) {
                    port.writeBytes(reply, reply.length);
                }
            }
        }
    }

    private static byte[] line(int size) {
        byte[] bytes = new byte[Math.max(1, size)];
        Arrays.fill(bytes, (byte) 'x');
        bytes[bytes.length - 1] = CR;
        return bytes;
    }
}
