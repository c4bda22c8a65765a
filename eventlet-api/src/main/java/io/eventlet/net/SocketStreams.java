package io.eventlet.net;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** The {@link InputStream} and {@link OutputStream} views that green sockets (plain and TLS) share. */
final class SocketStreams {
    private SocketStreams() {
    }

    /** Reads at least one byte into {@code b}, or returns -1 at the end of the stream. */
    @FunctionalInterface
    interface Reader {
        int read(byte[] b, int off, int len) throws IOException;
    }

    /** Writes all {@code len} bytes of {@code b} from {@code off}. */
    @FunctionalInterface
    interface Writer {
        void write(byte[] b, int off, int len) throws IOException;
    }

    /** A stream over {@code reader}; closing it closes {@code socket}. */
    static InputStream input(Reader reader, Closeable socket) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : reader.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }

    /** A stream over {@code writer}; closing it closes {@code socket}. */
    static OutputStream output(Writer writer, Closeable socket) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                writer.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
