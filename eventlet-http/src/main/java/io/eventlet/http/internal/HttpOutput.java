package io.eventlet.http.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The buffered output of one connection. Its buffer comes from {@link Buffers} on the first
 * write and goes back on every {@link #flush()} (the end of each response or request), so a
 * connection holds none between messages. One green thread at a time.
 */
public final class HttpOutput extends OutputStream {
    private final OutputStream out;
    private byte[] buf;
    private int count;

    public HttpOutput(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        if (buf == null) {
            buf = Buffers.take();
        } else if (count == buf.length) {
            drain();
        }
        buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len >= Buffers.SIZE) {
            drain();   // what is buffered goes first, then the large write in place
            out.write(b, off, len);
            return;
        }
        if (buf == null) {
            buf = Buffers.take();
        }
        if (len > buf.length - count) {
            drain();
        }
        System.arraycopy(b, off, buf, count, len);
        count += len;
    }

    /** Writes what is buffered (if anything), keeping the buffer. */
    private void drain() throws IOException {
        if (count > 0) {
            out.write(buf, 0, count);
            count = 0;
        }
    }

    /** Writes what is buffered, flushes the stream below, and gives the buffer back. */
    @Override
    public void flush() throws IOException {
        drain();
        release();
        out.flush();
    }

    /** Gives the buffer back, dropping whatever it holds (the connection is done). */
    public void release() {
        byte[] b = buf;
        if (b != null) {
            buf = null;
            count = 0;
            Buffers.give(b);
        }
    }

    /** True while a buffer is held (for tests). */
    public boolean holdsBuffer() {
        return buf != null;
    }

    /**
     * One chunk of a chunked body (RFC 9112 §7.1): its size in hex, CRLF, the data, CRLF. An
     * empty chunk would end the body, so {@code len} 0 writes nothing.
     */
    public void writeChunk(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return;
        }
        byte[] size = new byte[18];
        int p = size.length;
        size[--p] = '\n';
        size[--p] = '\r';
        for (int v = len; ; v >>>= 4) {
            size[--p] = HEX[v & 0xf];
            if (v < 16) {
                break;
            }
        }
        write(size, p, size.length - p);
        write(b, off, len);
        write(CRLF, 0, 2);
    }

    /** The last chunk and the end of an (empty) trailer section. */
    public void writeLastChunk() throws IOException {
        write(LAST_CHUNK, 0, LAST_CHUNK.length);
    }

    private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] LAST_CHUNK = {'0', '\r', '\n', '\r', '\n'};

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
