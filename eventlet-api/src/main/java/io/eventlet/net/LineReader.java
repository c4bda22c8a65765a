package io.eventlet.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Reads UTF-8 lines of at most {@code maxLineBytes} bytes from a stream: eventlet's (Python's)
 * {@code readline(limit)} for servers that read lines from strangers. {@link
 * java.io.BufferedReader#readLine()} keeps a line that never ends whole, so a peer that sends
 * 100 MB without a newline costs the server 100 MB and more per connection; this reader gives up
 * with {@link LineTooLongException} as soon as a line passes its limit, having held at most the
 * limit.
 *
 * {@snippet :
 * LineReader in = new LineReader(conn.inputStream(), 8 * 1024);
 * try {
 *     for (String line; (line = in.readLine()) != null; ) {
 *         conn.writeAll((line + "\n").getBytes(StandardCharsets.UTF_8));
 *     }
 * } catch (LineTooLongException e) {
 *     conn.writeAll(("error: " + e.getMessage() + "\n").getBytes(StandardCharsets.UTF_8));
 *     conn.closeLingering(Duration.ofSeconds(1), 64 * 1024);
 * }
 * }
 *
 * <p>A line ends at LF; a CR just before it is dropped too (CRLF, as telnet sends). A lone CR is
 * part of the line. The limit counts the line's bytes without its end, so a line of exactly
 * {@code maxLineBytes} bytes is read. At the end of the stream, a last line without LF is returned
 * as it is, then null. Bytes that are not UTF-8 become U+FFFD, as with {@link
 * java.io.InputStreamReader}.
 *
 * <p>Memory grows only as bytes arrive: a read buffer of at most 1 KiB, taken on the first read,
 * and the line's bytes, in an array that doubles from 64 bytes up to the limit and is dropped
 * after a line longer than 1 KiB, so an idle connection keeps little.
 *
 * <p>Not thread-safe: one green or plain thread reads at a time. The reader reads ahead, so once
 * it is in use, read the stream only through it.
 */
public final class LineReader {
    private static final int READ_CHUNK = 1024;
    private static final int FIRST_LINE_CAPACITY = 64;
    /** Line arrays larger than this are not kept for the next line. */
    private static final int KEPT_LINE_CAPACITY = 1024;

    private final InputStream in;
    /** The largest limit: a line and its end must fit one array (arithmetic on the limit must not overflow). */
    public static final int MAX_LIMIT = Integer.MAX_VALUE - 16;

    private final int maxLineBytes;
    private byte[] chunk;      // read-ahead; null until the first read
    private int chunkPos;
    private int chunkEnd;
    private byte[] line;       // the line so far; null until needed
    private int lineLength;
    private boolean eof;

    /**
     * A reader of UTF-8 lines of at most {@code maxLineBytes} bytes from {@code in}.
     *
     * @param in the stream; the reader owns it from now on (it reads ahead)
     * @param maxLineBytes the most bytes a line may have, without its end; from 1 to {@link #MAX_LIMIT}
     */
    public LineReader(InputStream in, int maxLineBytes) {
        this.in = Objects.requireNonNull(in, "in");
        if (maxLineBytes < 1 || maxLineBytes > MAX_LIMIT) {
            throw new IllegalArgumentException("maxLineBytes must be from 1 to " + MAX_LIMIT + ", got " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
    }

    /**
     * The most bytes a line may have, without its end.
     *
     * @return the limit given to the constructor
     */
    public int maxLineBytes() {
        return maxLineBytes;
    }

    /**
     * The next line, without its LF or CRLF; null at the end of the stream.
     *
     * @return the line, decoded as UTF-8, or null when the stream has ended
     * @throws LineTooLongException when the line passes {@link #maxLineBytes()} before it ends;
     *     the rest of the stream is then in an unknown place, so close it
     */
    public String readLine() throws IOException {
        lineLength = 0;
        while (true) {
            if (chunkPos == chunkEnd && !fill()) {
                if (lineLength == 0) {
                    return null;
                }
                if (lineLength > maxLineBytes) {
                    throw tooLong();          // the byte kept for a CR was not one
                }
                return finish(lineLength);   // the last line, without an end
            }
            int start = chunkPos;
            int lf = indexOfLf(chunk, start, chunkEnd);
            int end = lf < 0 ? chunkEnd : lf;
            append(chunk, start, end - start);
            chunkPos = lf < 0 ? chunkEnd : lf + 1;
            if (lf >= 0) {
                int n = lineLength;
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                if (n > maxLineBytes) {
                    throw tooLong();
                }
                return finish(n);
            }
        }
    }

    /** The capacity the reader holds now, in bytes (read-ahead and line): for tests of its memory. */
    int retainedCapacity() {
        return (chunk == null ? 0 : chunk.length) + (line == null ? 0 : line.length);
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (chunk == null) {
            chunk = new byte[Math.min(READ_CHUNK, maxLineBytes + 2)];   // + CRLF: a short line in one read
        }
        int n = in.read(chunk, 0, chunk.length);
        if (n < 0) {
            eof = true;
            return false;
        }
        chunkPos = 0;
        chunkEnd = n;
        return n > 0 || fill();
    }

    private void append(byte[] b, int off, int len) throws LineTooLongException {
        // One byte over the limit is kept: it may be the CR of a CRLF that ends the line.
        if (lineLength + len > maxLineBytes + 1) {
            throw tooLong();
        }
        int need = lineLength + len;
        if (line == null || need > line.length) {
            int capacity = line == null ? FIRST_LINE_CAPACITY : line.length;
            while (capacity < need) {
                capacity *= 2;
            }
            capacity = Math.min(capacity, maxLineBytes + 1);
            line = line == null ? new byte[capacity] : Arrays.copyOf(line, capacity);
        }
        System.arraycopy(b, off, line, lineLength, len);
        lineLength = need;
    }

    private String finish(int n) {
        String s = new String(line, 0, n, StandardCharsets.UTF_8);
        lineLength = 0;
        if (line.length > KEPT_LINE_CAPACITY) {
            line = null;
        }
        return s;
    }

    private LineTooLongException tooLong() {
        lineLength = 0;
        line = null;
        return new LineTooLongException(maxLineBytes);
    }

    private static int indexOfLf(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
