package io.eventlet.http.internal;

import io.eventlet.http.HttpException;
import java.io.IOException;
import java.io.InputStream;

/**
 * A message body: Content-Length bytes, chunked (RFC 9112 §7.1; extensions checked and dropped,
 * trailers read under the head's limits and dropped), or until the connection ends. At most
 * {@code limit} bytes are accepted ({@code tooLarge} beyond: a server's 413). The first read
 * runs {@code beforeFirstRead} (a server's {@code 100 Continue}).
 *
 * <p>With a {@link Pace}, the body must keep coming: from the first read on, the whole body
 * must arrive by {@code timeout + received / minRate} (Apache mod_reqtimeout's
 * {@code body=20,MinRate=500} rule), or the read fails with 408. A body dripped at 1 byte/s is
 * cut after about {@code timeout}; an upload at the minimum rate or faster goes on.
 */
public final class BodyInput extends InputStream {
    private static final int MAX_CHUNK_LINE = 4096;
    private static final long MAX_FRAMING_EXCESS = 16 * 1024;
    /** Trailer fields: bounded like a head's, but smaller (they are dropped anyway). */
    private static final Http1.Limits TRAILERS = new Http1.Limits(0, 8 * 1024, 16 * 1024, 32);

    private final HttpInput in;
    private final boolean chunked;
    private final boolean untilEof;
    private long remaining;          // fixed length: bytes left; chunked: left in this chunk
    private final long limit;
    private final int malformed;
    private final int tooLarge;
    private final String tooLargeWhat;
    private final Pace pace;
    private long started;            // nanoTime of the first read, with a pace
    private long total;
    private long framingExcess;
    private boolean done;
    private Runnable beforeFirstRead;
    /**
     * The first failure (broken framing, a limit, a deadline, the connection), thrown again by
     * every later read: after one the position in the stream is unknown, and reading on (a
     * handler that catches and answers, then the server's drain) would take the body's bytes for
     * framing, the way a smuggled request hides in a chunk.
     */
    private IOException failure;

    /**
     * @param limit the most bytes accepted; beyond, {@code tooLarge} with a message about {@code tooLargeWhat}
     * @param malformed the status of broken framing (400 for a server, 502 for a client)
     * @param pace the progress rule, or null for none (then only the per-read timeout applies)
     */
    public BodyInput(HttpInput in, Http1.Framing framing, long limit, int malformed, int tooLarge, String tooLargeWhat, Pace pace,
                     Runnable beforeFirstRead) {
        this.in = in;
        this.chunked = framing.chunked();
        this.untilEof = !chunked && framing.length() < 0;
        this.remaining = chunked ? 0 : untilEof ? Long.MAX_VALUE : framing.length();
        this.limit = limit;
        this.malformed = malformed;
        this.tooLarge = tooLarge;
        this.tooLargeWhat = tooLargeWhat;
        this.pace = pace;
        this.done = !chunked && framing.length() == 0;
        this.beforeFirstRead = beforeFirstRead;
        if (!chunked && !untilEof && framing.length() > limit) {
            throw new IllegalArgumentException("a declared length over the limit is refused before the body");
        }
    }

    public boolean isDone() {
        return done;
    }

    /** True once a read has failed: the connection must not carry another message. */
    public boolean failed() {
        return failure != null;
    }

    /** Whether reading has begun (so a 100 Continue went out when it was asked for). */
    public boolean started() {
        return beforeFirstRead == null;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (beforeFirstRead != null) {
            Runnable r = beforeFirstRead;
            beforeFirstRead = null;
            r.run();
        }
        if (failure != null) {
            throw failure;
        }
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        if (pace != null) {
            if (started == 0) {
                started = System.nanoTime() | 1;   // never 0
                in.deadline(deadline(), 408, "the request body");
            } else {
                in.moveDeadline(deadline());
            }
        }
        try {
            return readPaced(b, off, len);
        } catch (IOException e) {
            failure = e;
            throw e;
        } finally {
            if (done && pace != null) {
                in.clearDeadline();
            }
        }
    }

    private long deadline() {
        return started + pace.allowanceNanos(total);
    }

    private int readPaced(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            if (!nextChunk()) {
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            if (untilEof) {
                done = true;
                return -1;
            }
            throw new HttpException(malformed, "connection ended with " + (chunked ? "a chunk" : remaining + " body bytes") + " still expected");
        }
        remaining -= n;
        total += n;
        if (total > limit) {
            throw new HttpException(tooLarge, tooLargeWhat + " larger than " + limit + " bytes");
        }
        if (!chunked && remaining == 0) {
            done = true;
        }
        if (chunked && remaining == 0) {
            String crlf = in.readLine(0, malformed, malformed, "chunk end", false);
            if (crlf == null || !crlf.isEmpty()) {
                throw new HttpException(malformed, "chunk data not followed by CRLF");
            }
        }
        return n;
    }

    /**
     * Bodies up to this size are read into one array of their exact length by
     * {@link #readAllBytes}. No more: the array is allocated before the bytes arrive, so a
     * declared length must not let headers alone reserve much heap (a server may hold thousands
     * of requests whose bodies are slow to come); this is what a connection's read buffer costs
     * while a request is in flight anyway.
     */
    private static final int MAX_EXACT = Buffers.SIZE;

    /**
     * A small body of known length goes into one array of exactly its size; the JDK's
     * {@code readAllBytes} would zero and fill 16 KiB chunks and copy them, which a JFR profile of
     * the demo showed to be the HTTP client's largest cost for small responses. Larger bodies
     * grow with the bytes that actually arrive.
     */
    @Override
    public byte[] readAllBytes() throws IOException {
        if (chunked || untilEof || done || remaining > MAX_EXACT) {
            return super.readAllBytes();
        }
        byte[] all = new byte[(int) remaining];
        for (int off = 0; off < all.length; ) {
            int n = read(all, off, all.length - off);   // the limit, 100-continue and EOF checks stay in read
            if (n < 0) {
                throw new java.io.EOFException("body ended early");
            }
            off += n;
        }
        return all;
    }

    /**
     * The whole body, refusing one of more than {@code max} bytes with {@code status}: a declared
     * length at once, any other as soon as the bytes that arrived pass it. The array grows with
     * what arrives, never from what the peer claims.
     */
    public byte[] readAll(long max, int status, String what) throws IOException {
        if (!chunked && !untilEof) {
            if (remaining > max) {
                throw new HttpException(status, what + " of " + remaining + " bytes is larger than the limit of " + max);
            }
            return readAllBytes();
        }
        byte[] all = readNBytes((int) Math.min(max, Integer.MAX_VALUE - 8));
        if (read() >= 0) {
            throw new HttpException(status, what + " larger than the limit of " + max + " bytes");
        }
        return all;
    }

    /** Reads the next chunk's size line; false after the last chunk (and its trailers). */
    private boolean nextChunk() throws IOException {
        String line = in.readLine(MAX_CHUNK_LINE, malformed, malformed, "chunk size line", false);
        if (line == null) {
            throw new HttpException(malformed, "connection ended before the last chunk");
        }
        long size = Http1.parseChunkSize(line, malformed, tooLarge);
        // Framing beyond an allowance per chunk (16 bytes and twice its data) adds up: long
        // extensions on one-byte chunks would otherwise make the limit, the drain and the pace,
        // which count data, cost a thousand times their bytes (Go's CVE-2023-39326).
        framingExcess = Math.max(0, framingExcess + line.length() + 4 - 16 - 2 * Math.min(size, 1L << 20));
        if (framingExcess > MAX_FRAMING_EXCESS) {
            throw new HttpException(malformed, "too much chunk framing for the data it carries");
        }
        if (size == 0) {
            readTrailers();
            done = true;
            return false;
        }
        if (total + size > limit) {
            throw new HttpException(tooLarge, tooLargeWhat + " larger than " + limit + " bytes");
        }
        remaining = size;
        return true;
    }

    /** The trailer section: field lines under CRLF rules, bounded, dropped. */
    private void readTrailers() throws IOException {
        int bytes = 0;
        for (int n = 0; ; n++) {
            String t = in.readLine(TRAILERS.maxFieldLine(), malformed, malformed, "trailer line", false);
            if (t == null) {
                throw new HttpException(malformed, "connection ended in the trailers");
            }
            if (t.isEmpty()) {
                return;
            }
            bytes += t.length() + 2;
            if (n >= TRAILERS.maxFields() || bytes > TRAILERS.maxHead()) {
                throw new HttpException(malformed, "trailers larger than " + TRAILERS.maxHead() + " bytes or " + TRAILERS.maxFields() + " fields");
            }
            Http1.parseField(t, malformed, (name, value) -> { });
        }
    }

    /** Reads and drops what the handler left unread, up to {@code max}; false when more is left. */
    public boolean drain(long max) throws IOException {
        if (done) {
            return true;   // every request without a body: no scratch array (8 KiB of garbage a request, found by JFR)
        }
        byte[] skip = new byte[8192];
        long dropped = 0;
        while (!done) {
            int n = read(skip, 0, skip.length);
            if (n < 0) {
                break;
            }
            dropped += n;
            if (dropped > max) {
                return false;
            }
        }
        return true;
    }
}
