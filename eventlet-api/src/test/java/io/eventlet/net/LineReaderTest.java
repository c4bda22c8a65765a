package io.eventlet.net;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The edges of {@link LineReader}: the limit, line ends, the end of the stream, UTF-8 split over reads, and its memory. */
class LineReaderTest {
    private static LineReader reader(String text, int limit) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit);
    }

    /** Hands out one byte per read: every line and every character is split over reads. */
    private static InputStream oneByteAtATime(byte[] bytes) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < bytes.length ? bytes[pos++] & 0xff : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == bytes.length) {
                    return -1;
                }
                b[off] = bytes[pos++];
                return 1;
            }
        };
    }

    @Test
    void aLineOfExactlyTheLimitIsReadAndOneByteMoreIsRefused() throws IOException {
        LineReader in = reader("abcd\nabcde\nnext\n", 4);
        assertEquals("abcd", in.readLine());
        LineTooLongException e = assertThrows(LineTooLongException.class, in::readLine);
        assertEquals(4, e.limit());
        assertTrue(e.getMessage().contains("4 bytes"), e.getMessage());
    }

    @Test
    void theCrOfCrlfDoesNotCountAgainstTheLimit() throws IOException {
        LineReader in = reader("abcd\r\nabcde\r\n", 4);
        assertEquals("abcd", in.readLine());
        assertThrows(LineTooLongException.class, in::readLine);
    }

    @Test
    void lfAndCrlfEndLinesAndALoneCrIsPartOfTheLine() throws IOException {
        LineReader in = reader("lf\ncrlf\r\nlone\rcr\n\n\r\nlast", 100);
        assertEquals("lf", in.readLine());
        assertEquals("crlf", in.readLine());
        assertEquals("lone\rcr", in.readLine());
        assertEquals("", in.readLine());
        assertEquals("", in.readLine());
        assertEquals("last", in.readLine(), "the end of the stream ends the last line");
        assertNull(in.readLine());
        assertNull(in.readLine(), "and stays ended");
    }

    @Test
    void theEndOfTheStreamChecksTheLimitToo() throws IOException {
        assertEquals("abcd", reader("abcd", 4).readLine());
        assertThrows(LineTooLongException.class, () -> reader("abcde", 4).readLine());
        assertNull(reader("", 4).readLine());
    }

    @Test
    void multiByteCharactersSplitOverReadsAreDecodedWhole() throws IOException {
        String text = "wörld €uro 😀\r\nñ\n";
        LineReader in = new LineReader(oneByteAtATime(text.getBytes(StandardCharsets.UTF_8)), 100);
        assertEquals("wörld €uro 😀", in.readLine());
        assertEquals("ñ", in.readLine());
        assertNull(in.readLine());
    }

    @Test
    void theLimitCountsBytesNotCharacters() throws IOException {
        // "€" is three bytes of UTF-8: two of them are six bytes, over a limit of five.
        assertThrows(LineTooLongException.class, () -> reader("€€\n", 5).readLine());
        assertEquals("€€", reader("€€\n", 6).readLine());
    }

    @Test
    void manyLinesInOneReadComeOutOneByOne() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            b.append("line ").append(i).append('\n');
        }
        LineReader in = reader(b.toString(), 16);
        for (int i = 0; i < 1000; i++) {
            assertEquals("line " + i, in.readLine());
        }
        assertNull(in.readLine());
    }

    @Test
    void anEndlessLineIsRefusedAfterReadingLittleMoreThanTheLimit() {
        int limit = 8 * 1024;
        long[] served = {0};
        InputStream endless = new InputStream() {   // 'a' forever, allocating nothing
            @Override
            public int read() {
                served[0]++;
                return 'a';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'a');
                served[0] += len;
                return len;
            }
        };
        LineReader in = new LineReader(endless, limit);
        assertThrows(LineTooLongException.class, in::readLine);
        assertTrue(served[0] <= limit + 2 * 1024, "read " + served[0] + " bytes of an endless line with a limit of " + limit);
        assertTrue(in.retainedCapacity() <= 1024, "after the refusal it holds only its read buffer: " + in.retainedCapacity());
    }

    @Test
    void memoryGrowsWithTheLineNotWithTheLimitAndLongLinesAreNotKept() throws IOException {
        LineReader in = reader("short\n" + "x".repeat(100_000) + "\nshort again\n", 1 << 20);
        assertEquals(0, in.retainedCapacity(), "nothing before the first read");
        assertEquals("short", in.readLine());
        assertTrue(in.retainedCapacity() <= 1024 + 64, "a short line under a 1 MiB limit: " + in.retainedCapacity());
        assertEquals(100_000, in.readLine().length());
        assertEquals("short again", in.readLine());
        assertTrue(in.retainedCapacity() <= 1024 + 64, "the long line's array was let go: " + in.retainedCapacity());
    }

    @Test
    void aLimitBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> reader("", 0));
        assertEquals(7, reader("", 7).maxLineBytes());
    }
}
