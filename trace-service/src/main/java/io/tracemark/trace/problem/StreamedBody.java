package io.tracemark.trace.problem;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

import jakarta.ws.rs.core.StreamingOutput;

import org.jboss.logging.Logger;

/**
 * A streamed answer (a CSV of a batch, an export) whose client may stop reading before the end: a
 * download cancelled or a {@code head -n 100} is the client's choice, not a failure of the service.
 * It is logged as one line at INFO, where the server would log an ERROR with a stack trace. A
 * failure on the service's side (the database, a document) still fails the answer as before.
 */
public final class StreamedBody {

    private static final Logger LOG = Logger.getLogger(StreamedBody.class);

    private StreamedBody() {
    }

    /** The body, writing to the client through a stream that notices when the client has gone. */
    public static StreamingOutput of(String what, StreamingOutput body) {
        return out -> {
            ClientStream client = new ClientStream(out);
            try {
                body.write(client);
            } catch (IOException | RuntimeException e) {
                if (client.gone == null) {
                    throw e;
                }
                LOG.infof("The client stopped reading %s after %d bytes (%s)", what, client.written,
                        client.gone.toString());
            }
        };
    }

    /** Counts what reached the client, and keeps the first failure to write to it. */
    private static final class ClientStream extends FilterOutputStream {
        private long written;
        private Exception gone;

        ClientStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] { (byte) b }, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            watched(() -> out.write(bytes, offset, length));
            written += length;
        }

        @Override
        public void flush() throws IOException {
            watched(out::flush);
        }

        @Override
        public void close() throws IOException {
            watched(out::close);
        }

        private void watched(ClientWrite write) throws IOException {
            try {
                write.run();
            } catch (IOException | RuntimeException e) {
                gone = gone == null ? e : gone;
                throw e;
            }
        }
    }

    /** One write to the client's stream. */
    private interface ClientWrite {
        void run() throws IOException;
    }
}
