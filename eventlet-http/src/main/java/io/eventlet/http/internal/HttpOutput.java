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
    // The send pace (a server's response), armed by pace(): null when off.
    private java.util.function.Consumer<java.time.Duration> socketTimeout;
    private java.time.Duration perWrite;
    private Pace pace;
    private long writing;            // nanoseconds the writes under the pace have taken so far
    private long sent;

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
            // Under a pace, in slices: each slice's waits are bounded by what is left of it.
            int slice = socketTimeout == null ? len : 64 * 1024;
            for (int done = 0; done < len; ) {
                int n = Math.min(slice, len - done);
                long started = beforeWrite();
                out.write(b, off + done, n);
                afterWrite(started, n);
                done += n;
            }
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
            long started = beforeWrite();
            out.write(buf, 0, count);
            afterWrite(started, count);
            count = 0;
        }
    }

    /**
     * Bounds the next message's sending (a server's response): the time its writes spend waiting
     * for the peer to take bytes may add up to what {@code pace} allows for the bytes sent, each
     * write waiting at most {@code perWrite}. Without it a client reading a byte now
     * and then (a slowloris on the read side) holds its connection for as long as the response
     * lasts, since every write it lets through restarts the per-write timeout. Only time spent in
     * writes counts: a handler that streams an event every 30 s for hours, or reads a long upload
     * before it answers, is not the peer being slow.
     *
     * @param socketTimeout sets the socket's timeout (through the connection's input, which shares it)
     */
    public void pace(java.util.function.Consumer<java.time.Duration> socketTimeout, java.time.Duration perWrite, Pace pace) {
        this.socketTimeout = socketTimeout;
        this.perWrite = perWrite;
        this.pace = pace;
        this.writing = 0;
        this.sent = 0;
    }

    /** Stops pacing (the message is out). */
    public void endPace() {
        socketTimeout = null;
    }

    /** Before a write: its socket timeout is what is left of the pace. @return when it started (for {@link #afterWrite}) */
    private long beforeWrite() throws IOException {
        if (socketTimeout == null) {
            return 0;
        }
        long left = paceLeft();
        if (left <= 0) {
            throw new java.net.SocketTimeoutException("the peer took " + sent + " bytes of the response, slower than its pace allows ("
                    + pace.minRate() + " bytes/s after " + pace.timeout().toSeconds() + " s of waiting)");
        }
        java.time.Duration d = java.time.Duration.ofNanos(left);
        socketTimeout.accept(perWrite != null && perWrite.compareTo(d) < 0 ? perWrite : d);
        return System.nanoTime() | 1;   // never 0, which means "not paced"
    }

    /** What is left of the pace's allowance for the bytes sent so far, in nanoseconds. */
    private long paceLeft() {
        return pace.allowanceNanos(sent) - writing;
    }

    private boolean writingExhausted() {
        return socketTimeout != null && paceLeft() <= 0;
    }

    private void afterWrite(long started, int n) {
        sent += n;
        if (started != 0) {
            writing += System.nanoTime() - started;
        }
    }

    /** Writes what is buffered, flushes the stream below, and gives the buffer back. */
    @Override
    public void flush() throws IOException {
        drain();
        release();
        // TLS writes its records here; a plain socket writes nothing, so a pace used up by the
        // last write must not fail a flush that has nothing left to wait for.
        long started = count == 0 && writingExhausted() ? 0 : beforeWrite();
        out.flush();
        afterWrite(started, 0);
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
