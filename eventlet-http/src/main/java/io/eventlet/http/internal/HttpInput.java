package io.eventlet.http.internal;

import io.eventlet.GreenThread;
import io.eventlet.Timeout;
import io.eventlet.http.HttpException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The buffered input of one connection: lines with a length limit for heads, raw bytes for
 * bodies, and an optional deadline over many reads. Pipelined messages simply wait in the
 * buffer. One green thread at a time.
 *
 * <p>The buffer comes from {@link Buffers}. When the connection can tell when bytes are there
 * ({@code awaitReadable}, a plain green socket), {@link #releaseIfEmpty} gives an empty buffer
 * back while the connection idles and the next read takes one only once bytes have arrived.
 * Without it (TLS, whose engine holds buffers of its own anyway) the buffer is kept until
 * {@link #release}.
 *
 * <h2>Deadlines</h2>
 * A socket timeout bounds one read; a peer that sends a byte just before each read times out
 * (slowloris) is never cut by it. {@link #deadline} bounds every read until it is cleared: each
 * read's socket timeout is set to what is left of it (never more than the per-read timeout), and
 * a read that would end past it fails with {@link HttpException} of the deadline's status
 * (408 for a server). This needs {@code setTimeout}, the socket's per-read timeout setter.
 */
public final class HttpInput {
    /** Waits until a read would probably not block. */
    @FunctionalInterface
    public interface Await {
        void await() throws IOException;
    }

    private final InputStream in;
    private final Await awaitReadable;
    private final Consumer<Duration> setTimeout;
    /**
     * True over TLS: one read of the stream may make many socket reads (a record arrives in
     * pieces), each of which a socket timeout bounds afresh, so a deadline needs a green
     * {@link Timeout} around the whole read.
     */
    private final boolean layered;
    private byte[] buf;
    private int pos;
    private int end;
    /** Bytes read from the stream so far. */
    private long received;

    /** The per-read timeout the connection set last (what a read waits at most without a deadline). */
    private Duration readTimeout;
    /** The timeout actually on the socket now, so it is set only when it changes. */
    private Duration socketTimeout;
    private boolean hasDeadline;
    private long deadline;            // System.nanoTime() based, valid when hasDeadline
    private int deadlineStatus;
    private String deadlineWhat;

    /** An input that keeps its buffer for the connection's life and has no deadlines. */
    public HttpInput(InputStream in) {
        this(in, null, null);
    }

    /**
     * @param awaitReadable waits until a read of {@code in} would probably not block; null when unknown
     * @param setTimeout sets the socket's per-read timeout (null: none); needed for deadlines
     */
    public HttpInput(InputStream in, Await awaitReadable, Consumer<Duration> setTimeout) {
        this(in, awaitReadable, setTimeout, false);
    }

    /**
     * @param layered true when one read of {@code in} may make many socket reads (TLS): a
     *     deadline is then enforced with a green {@link Timeout} around each read
     */
    public HttpInput(InputStream in, Await awaitReadable, Consumer<Duration> setTimeout, boolean layered) {
        this.in = in;
        this.awaitReadable = awaitReadable;
        this.setTimeout = setTimeout;
        this.layered = layered;
    }

    /** Sets the per-read timeout (null: none): the longest one read may wait for bytes. */
    public void readTimeout(Duration d) {
        readTimeout = d;
        if (!hasDeadline) {
            applyTimeout(d);
        }
    }

    /**
     * Bounds every read from now until {@link #clearDeadline}: a read that cannot finish by
     * {@code deadlineNanos} ({@link System#nanoTime()} based) throws {@link HttpException} with
     * {@code status} and a message saying that {@code what} did not arrive in time.
     */
    public void deadline(long deadlineNanos, int status, String what) {
        if (setTimeout == null) {
            throw new IllegalStateException("a deadline needs the socket's timeout setter");
        }
        hasDeadline = true;
        deadline = deadlineNanos;
        deadlineStatus = status;
        deadlineWhat = what;
    }

    /** Moves the current deadline (a body's that grows with the bytes received). */
    public void moveDeadline(long deadlineNanos) {
        deadline = deadlineNanos;
    }

    public void clearDeadline() {
        if (hasDeadline) {
            hasDeadline = false;
            applyTimeout(readTimeout);
        }
    }

    /**
     * Sets the socket's timeout through this input's record of it, for the connection's output
     * ({@link HttpOutput#pace}): one socket timeout serves both directions, so both must go
     * through one record of what it is.
     */
    public void socketTimeout(Duration d) {
        applyTimeout(d);
    }

    private void applyTimeout(Duration d) {
        if (setTimeout != null && !java.util.Objects.equals(d, socketTimeout)) {
            socketTimeout = d;
            setTimeout.accept(d);
        }
    }

    /**
     * Between requests or responses: gives the buffer back when nothing is buffered and the next
     * bytes can be waited for without one.
     */
    public void releaseIfEmpty() {
        if (awaitReadable != null && pos >= end) {
            release();
        }
    }

    /** Gives the buffer back, dropping whatever it holds (the connection is done). */
    public void release() {
        byte[] b = buf;
        if (b != null) {
            buf = null;
            pos = 0;
            end = 0;
            Buffers.give(b);
        }
    }

    /** True while a buffer is held (for tests). */
    public boolean holdsBuffer() {
        return buf != null;
    }

    /** Bytes read from the stream so far (whether consumed or still buffered). */
    public long received() {
        return received;
    }

    /**
     * Waits until at least one byte is buffered (under the per-read timeout or the deadline).
     *
     * @return false at the end of the stream
     */
    public boolean awaitBytes() throws IOException {
        return fill();
    }

    /** True when bytes are buffered (a pipelined request is already here). */
    public boolean hasBuffered() {
        return pos < end;
    }

    private boolean fill() throws IOException {
        if (pos < end) {
            return true;
        }
        if (buf == null) {
            if (awaitReadable != null) {
                beforeBlocking();
                try {
                    awaitReadable.await();   // idle without a buffer until bytes are there
                } catch (SocketTimeoutException e) {
                    throw lateOr(e);
                }
            }
            buf = Buffers.take();
        }
        int n = readUnderDeadline(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        received += n;
        pos = 0;
        end = n;
        return true;
    }

    /** Before a read that may block: the socket timeout becomes what is left of the deadline. */
    private void beforeBlocking() throws HttpException {
        if (!hasDeadline) {
            return;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw late();
        }
        Duration d = Duration.ofNanos(left);
        applyTimeout(readTimeout != null && readTimeout.compareTo(d) < 0 ? readTimeout : d);
    }

    private HttpException late() {
        return new HttpException(deadlineStatus, deadlineWhat + " did not arrive in time");
    }

    private int readUnderDeadline(byte[] b, int off, int len) throws IOException {
        beforeBlocking();
        try {
            if (hasDeadline && layered && GreenThread.current() != null) {
                // Raised by the hub wherever the read waits inside TLS, however many socket reads it makes.
                Timeout timeout = Timeout.start(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
                try {
                    return in.read(b, off, len);
                } catch (Timeout fired) {
                    if (fired != timeout) {
                        throw fired;   // an outer timeout of the caller's
                    }
                    throw late();
                } finally {
                    timeout.close();
                }
            }
            return in.read(b, off, len);
        } catch (SocketTimeoutException e) {
            throw lateOr(e);
        }
    }

    /** The deadline's exception when it has passed, else {@code e} itself. */
    private IOException lateOr(SocketTimeoutException e) {
        if (hasDeadline && deadline - System.nanoTime() <= 0) {
            HttpException late = late();
            late.initCause(e);
            return late;
        }
        return e;
    }

    /**
     * Consumes line ends already buffered (the stray CRLF some clients send after a body, RFC 9112
     * §2.2), so that what waits for the next request sees nothing buffered and idles as it should.
     */
    public void skipBufferedLineEnds() {
        while (pos < end && (buf[pos] == '\n' || (buf[pos] == '\r' && pos + 1 < end && buf[pos + 1] == '\n'))) {
            pos += buf[pos] == '\r' ? 2 : 1;
        }
    }

    /**
     * A line without its terminator, decoded as ISO-8859-1. The terminator is CRLF, or a bare LF
     * when {@code bareLf} (RFC 9112 §2.2 lets a recipient accept one in the start line and the
     * fields); a CR anywhere else is rejected (400): a bare CR is never a line end here, and a
     * recipient that took it for one would read a different message.
     *
     * @return null at the end of the stream before any byte of the line
     * @throws HttpException with {@code tooLongStatus} when the line exceeds {@code max} bytes
     */
    public String readLine(int max, int tooLongStatus, String what, boolean bareLf) throws IOException {
        return readLine(max, tooLongStatus, 400, what, bareLf);
    }

    /** {@link #readLine(int, int, String, boolean)} with {@code malformed} the status of a broken line (a client's 502). */
    public String readLine(int max, int tooLongStatus, int malformed, String what, boolean bareLf) throws IOException {
        StringBuilder line = null;
        boolean any = false;
        boolean cr = false;
        while (true) {
            if (!fill()) {
                if (!any) {
                    return null;
                }
                throw new HttpException(malformed, "connection ended in the middle of the " + what);
            }
            any = true;
            int start = pos;
            while (pos < end) {
                byte b = buf[pos++];
                if (cr) {
                    if (b != '\n') {
                        throw new HttpException(malformed, "bare CR in the " + what);
                    }
                    return finish(line, start, pos - 2);
                }
                if (b == '\n') {
                    if (!bareLf) {
                        throw new HttpException(malformed, "bare LF in the " + what);
                    }
                    return finish(line, start, pos - 1);
                }
                if (b == '\r') {
                    cr = true;
                } else if ((line == null ? 0 : line.length()) + (pos - start) > max) {
                    throw new HttpException(tooLongStatus, what + " longer than " + max + " bytes");
                }
            }
            // The buffer ends inside the line: keep what it holds and read on.
            if (line == null) {
                line = new StringBuilder(Math.max(64, end - start));
            }
            appendLatin1(line, start, cr ? end - 1 : end);
        }
    }

    /** The line from {@code line} (what earlier buffers held) and {@code buf[start, to)}. */
    private String finish(StringBuilder line, int start, int to) {
        if (line == null) {
            return new String(buf, start, Math.max(0, to - start), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        if (to < start) {
            // the CR of CRLF ended the previous buffer: it was not appended
            return line.toString();
        }
        appendLatin1(line, start, to);
        return line.toString();
    }

    private void appendLatin1(StringBuilder line, int from, int to) {
        for (int i = from; i < to; i++) {
            line.append((char) (buf[i] & 0xff));
        }
    }

    /** Reads up to {@code len} bytes; -1 at the end of the stream. */
    public int read(byte[] b, int off, int len) throws IOException {
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
            int n = readUnderDeadline(b, off, len);   // large reads skip the buffer
            if (n > 0) {
                received += n;
            }
            return n;
        }
        if (!fill()) {
            return -1;
        }
        return read(b, off, len);
    }

    /** Reads exactly {@code len} bytes. @throws java.io.EOFException when the stream ends first */
    public void readFully(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = read(b, off, len);
            if (n < 0) {
                throw new java.io.EOFException("connection ended with " + len + " bytes still expected");
            }
            off += n;
            len -= n;
        }
    }

    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }
}
