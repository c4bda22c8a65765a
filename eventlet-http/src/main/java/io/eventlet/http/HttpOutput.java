package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The buffered output of one connection. Its buffer comes from {@link Buffers} on the first
 * write and goes back on every {@link #flush()} (the end of each response or request), so a
 * connection holds none between messages. One green thread at a time.
 */
final class HttpOutput extends OutputStream {
    private final OutputStream out;
    private byte[] buf;
    private int count;

    HttpOutput(OutputStream out) {
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
    void release() {
        byte[] b = buf;
        if (b != null) {
            buf = null;
            count = 0;
            Buffers.give(b);
        }
    }

    /** True while a buffer is held (for tests). */
    boolean holdsBuffer() {
        return buf != null;
    }

    @Override
    public void close() throws IOException {
        try {
            flush();
        } finally {
            out.close();
        }
    }
}
