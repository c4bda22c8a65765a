package io.eventlet.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The buffered input of one connection: lines with a length limit for the head, raw bytes for
 * bodies. Pipelined requests simply wait in the buffer. One green thread at a time.
 *
 * <p>The buffer comes from {@link Buffers}. When the connection can tell when bytes are there
 * ({@code awaitReadable}, a plain green socket), {@link #releaseIfEmpty} gives an empty buffer
 * back while the connection idles and the next read takes one only once bytes have arrived.
 * Without it (TLS, whose engine holds buffers of its own anyway) the buffer is kept until
 * {@link #release}.
 */
final class HttpInput {
    private final InputStream in;
    private final HttpServer.IoAction awaitReadable;
    private byte[] buf;
    private int pos;
    private int end;

    /** An input that keeps its buffer for the connection's life. */
    HttpInput(InputStream in) {
        this(in, null);
    }

    /** @param awaitReadable waits until a read of {@code in} would probably not block; null when unknown */
    HttpInput(InputStream in, HttpServer.IoAction awaitReadable) {
        this.in = in;
        this.awaitReadable = awaitReadable;
    }

    /**
     * Between requests or responses: gives the buffer back when nothing is buffered and the next
     * bytes can be waited for without one.
     */
    void releaseIfEmpty() {
        if (awaitReadable != null && pos >= end) {
            release();
        }
    }

    /** Gives the buffer back, dropping whatever it holds (the connection is done). */
    void release() {
        byte[] b = buf;
        if (b != null) {
            buf = null;
            pos = 0;
            end = 0;
            Buffers.give(b);
        }
    }

    /** True while a buffer is held (for tests). */
    boolean holdsBuffer() {
        return buf != null;
    }

    /** True when bytes are buffered (a pipelined request is already here). */
    boolean hasBuffered() {
        return pos < end;
    }

    private boolean fill() throws IOException {
        if (pos < end) {
            return true;
        }
        if (buf == null) {
            if (awaitReadable != null) {
                awaitReadable.run();   // idle without a buffer until bytes are there
            }
            buf = Buffers.take();
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        end = n;
        return true;
    }

    /**
     * A line without its CRLF (a bare LF is accepted too), decoded as ISO-8859-1.
     *
     * @return null at the end of the stream before any byte of the line
     * @throws HttpException with {@code tooLongStatus} when the line exceeds {@code max} bytes
     */
    String readLine(int max, int tooLongStatus, String what) throws IOException {
        StringBuilder line = new StringBuilder(64);
        boolean any = false;
        while (true) {
            if (!fill()) {
                if (!any) {
                    return null;
                }
                throw new HttpException(400, "connection ended in the middle of the " + what);
            }
            any = true;
            while (pos < end) {
                byte b = buf[pos++];
                if (b == '\n') {
                    int len = line.length();
                    if (len > 0 && line.charAt(len - 1) == '\r') {
                        line.setLength(len - 1);
                    }
                    return line.toString();
                }
                if (line.length() >= max) {
                    throw new HttpException(tooLongStatus, what + " longer than " + max + " bytes");
                }
                line.append((char) (b & 0xff));
            }
        }
    }

    /** Reads up to {@code len} bytes; -1 at the end of the stream. */
    int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (pos < end) {
            int n = Math.min(len, end - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }
        if (len >= Buffers.SIZE) {
            return in.read(b, off, len);   // large reads skip the buffer
        }
        if (!fill()) {
            return -1;
        }
        return read(b, off, len);
    }

    /** Reads exactly {@code len} bytes. @throws java.io.EOFException when the stream ends first */
    void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = read(b, off, len);
            if (n < 0) {
                throw new java.io.EOFException("connection ended with " + len + " bytes still expected");
            }
            off += n;
            len -= n;
        }
    }

    int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    static String ascii(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
