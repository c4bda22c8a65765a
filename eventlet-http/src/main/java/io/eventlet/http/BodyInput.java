package io.eventlet.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * A request body: Content-Length bytes, or chunked (RFC 9112 §7.1; extensions and trailers are
 * read and dropped). At most {@code limit} bytes are accepted (413 beyond). The first read sends
 * {@code 100 Continue} when the client asked for it.
 */
final class BodyInput extends InputStream {
    private static final int MAX_CHUNK_LINE = 4096;

    private final HttpInput in;
    private final boolean chunked;
    private long remaining;          // fixed length: bytes left; chunked: left in this chunk
    private final long limit;
    private long total;
    private boolean done;
    private Runnable beforeFirstRead;

    /** A body that ends where the connection does (a response without length or chunking). */
    private final boolean untilEof;

    /** @param length the Content-Length, or -1 for a body that ends with the connection */
    BodyInput(HttpInput in, long length, boolean chunked, long limit, Runnable beforeFirstRead) {
        this.in = in;
        this.chunked = chunked;
        this.untilEof = !chunked && length < 0;
        this.remaining = chunked ? 0 : untilEof ? Long.MAX_VALUE : length;
        this.limit = limit;
        this.done = !chunked && length == 0;
        this.beforeFirstRead = beforeFirstRead;
    }

    boolean isDone() {
        return done;
    }

    /** Whether reading has begun (so a 100 Continue went out when it was asked for). */
    boolean started() {
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
        if (done) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
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
            throw new HttpException(400, "connection ended with " + remaining + " body bytes still expected");
        }
        remaining -= n;
        total += n;
        if (!chunked && remaining == 0) {
            done = true;
        }
        if (chunked && remaining == 0) {
            String crlf = in.readLine(2, 400, "chunk end");
            if (crlf == null || !crlf.isEmpty()) {
                throw new HttpException(400, "chunk data not followed by CRLF");
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

    /** Reads the next chunk's size line; false after the last chunk (and its trailers). */
    private boolean nextChunk() throws IOException {
        String line = in.readLine(MAX_CHUNK_LINE, 400, "chunk size line");
        if (line == null) {
            throw new HttpException(400, "connection ended before the last chunk");
        }
        int semi = line.indexOf(';');
        String hex = (semi >= 0 ? line.substring(0, semi) : line).strip();
        long size;
        try {
            if (hex.isEmpty() || hex.length() > 15 || hex.startsWith("+") || hex.startsWith("-")) {
                throw new NumberFormatException();
            }
            size = Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new HttpException(400, "bad chunk size: " + line);
        }
        if (size == 0) {
            for (int n = 0; ; n++) {   // trailers, dropped
                String t = in.readLine(8192, 431, "trailer line");
                if (t == null || t.isEmpty()) {
                    break;
                }
                if (n > 100) {
                    throw new HttpException(431, "too many trailer lines");
                }
            }
            done = true;
            return false;
        }
        if (total + size > limit) {
            throw new HttpException(413, "request body larger than " + limit + " bytes");
        }
        remaining = size;
        return true;
    }

    /** Reads and drops what the handler left unread, up to {@code max}; false when more is left. */
    boolean drain(long max) throws IOException {
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
