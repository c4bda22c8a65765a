package io.eventlet.http;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame decoder on bytes alone: the edge cases of RFC 6455 §5 without a socket. */
class FrameDecoderTest {
    private static final byte[] MASK = {0x37, (byte) 0xfa, 0x21, 0x3d};

    /** One client frame (masked), with the length in the encoding asked for: 7, 16 or 64 bits. */
    static byte[] frame(int b0, byte[] payload, int lengthBits, boolean masked) {
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(b0);
        int m = masked ? 0x80 : 0;
        int len = payload.length;
        if (lengthBits == 7) {
            f.write(m | len);
        } else if (lengthBits == 16) {
            f.write(m | 126);
            f.write(len >> 8);
            f.write(len);
        } else {
            f.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                f.write((int) ((long) len >> (8 * i)));
            }
        }
        if (masked) {
            f.writeBytes(MASK);
        }
        for (int i = 0; i < len; i++) {
            f.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return f.toByteArray();
    }

    static byte[] frame(int b0, byte[] payload) {
        return frame(b0, payload, payload.length < 126 ? 7 : payload.length < 65536 ? 16 : 64, true);
    }

    static byte[] frame(int b0, String payload) {
        return frame(b0, payload.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    /** A server-side decoder (expects masked frames) over {@code bytes}. */
    private static FrameDecoder server(byte[] bytes, int max) {
        return new FrameDecoder(new ByteArrayInputStream(bytes), false, max);
    }

    private static String text(FrameDecoder.Event e) {
        return assertInstanceOf(FrameDecoder.Data.class, e).message().text();
    }

    private static int rejected(byte[] bytes) {
        return assertThrows(WebSocketException.class, () -> {
            FrameDecoder d = server(bytes, 1 << 20);
            while (d.next() != null) {
                // drain until the violation
            }
        }).code();
    }

    @Test
    void aFragmentedMessageWithControlFramesBetweenItsFragments() throws IOException {
        FrameDecoder d = server(concat(frame(0x01, "hel"), frame(0x89, "p1"), frame(0x00, "lo "), frame(0x8A, "p0"),
                frame(0x80, "wörld"), frame(0x88, new byte[] {0x03, (byte) 0xe8, 'o', 'k'})), 1 << 20);
        assertArrayEquals("p1".getBytes(), assertInstanceOf(FrameDecoder.Ping.class, d.next()).payload());
        assertArrayEquals("p0".getBytes(), assertInstanceOf(FrameDecoder.Pong.class, d.next()).payload());
        assertEquals("hello wörld", text(d.next()));
        assertEquals(new FrameDecoder.Close(1000, "ok"), d.next());
        assertNull(d.next(), "the end of the stream between frames");
    }

    @Test
    void sixteenAndSixtyFourBitLengthsAtTheirBoundaries() throws IOException {
        for (int n : new int[] {125, 126, 65535, 65536, 200_000}) {
            byte[] p = new byte[n];
            Arrays.fill(p, (byte) 'a');
            FrameDecoder d = server(frame(0x82, p), 1 << 20);
            FrameDecoder.Data data = assertInstanceOf(FrameDecoder.Data.class, d.next());
            assertFalse(data.message().isText());
            assertArrayEquals(p, data.message().data(), "length " + n);
        }
    }

    @Test
    void lengthsNotInTheirMinimalEncodingAre1002() {
        assertEquals(1002, rejected(frame(0x81, "short".getBytes(), 16, true)), "5 bytes in 16 bits");
        assertEquals(1002, rejected(frame(0x81, new byte[125], 16, true)), "125 bytes in 16 bits");
        assertEquals(1002, rejected(frame(0x82, new byte[65535], 64, true)), "65535 bytes in 64 bits");
    }

    @Test
    void aSixtyFourBitLengthWithItsHighBitSetIs1002BeforeAnyPayload() {
        byte[] head = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4};
        assertEquals(1002, rejected(head));
    }

    @Test
    void aClaimOverTheLimitIs1009WithItsPayloadUnread() throws IOException {
        byte[] head = {(byte) 0x82, (byte) (0x80 | 127), 0, 0, 0, 0, 1, 0, 0, 0, 1, 2, 3, 4};   // 16 MiB
        InputStream onlyTheHead = new ByteArrayInputStream(head) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                assertTrue(available() > 0, "read past the header");
                return super.read(b, off, len);
            }
        };
        FrameDecoder d = new FrameDecoder(onlyTheHead, false, 1 << 20);
        assertEquals(1009, assertThrows(WebSocketException.class, d::next).code());
        assertEquals(0, d.bufferCapacity());
    }

    @Test
    void theLimitCountsEveryFragmentOfAMessage() {
        byte[] p = new byte[600];
        FrameDecoder d = server(concat(frame(0x02, p), frame(0x80, p)), 1000);
        assertEquals(1009, assertThrows(WebSocketException.class, d::next).code());
        FrameDecoder exact = server(concat(frame(0x02, p), frame(0x80, new byte[400])), 1000);
        assertDoesNotThrowData(exact, 1000);
    }

    private static void assertDoesNotThrowData(FrameDecoder d, int length) {
        try {
            assertEquals(length, assertInstanceOf(FrameDecoder.Data.class, d.next()).message().data().length);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aHeaderClaimingALotCostsOnlyTheFirstBufferUntilItsBytesArrive() throws IOException {
        int n = 300_000;
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 31);
        }
        byte[] f = frame(0x82, p);
        int[] capacityAfterHeader = {-1};
        // One byte per read: the payload dripped as slowly as it can be.
        InputStream drip = new ByteArrayInputStream(f) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
        FrameDecoder d = new FrameDecoder(drip, false, 1 << 20);
        d.headerListener(len -> {
            assertEquals(n, len);
            capacityAfterHeader[0] = d.bufferCapacity();
        });
        assertArrayEquals(p, assertInstanceOf(FrameDecoder.Data.class, d.next()).message().data());
        assertEquals(0, capacityAfterHeader[0], "nothing allocated from the header's claim");
        assertEquals(0, d.bufferCapacity(), "the buffer is dropped once the message is out");
    }

    @Test
    void theBufferStaysWithinTheLimitAndTwiceWhatArrived() throws IOException {
        int max = 100_000;
        byte[] p = new byte[max];
        byte[] f = frame(0x82, p);
        // Stops 10,000 bytes into the payload: what is held then must follow what arrived.
        int arrived = 10_000;
        FrameDecoder d = new FrameDecoder(new ByteArrayInputStream(f, 0, f.length - (max - arrived)), false, max);
        assertThrows(EOFException.class, d::next);
        assertTrue(d.bufferCapacity() <= 2 * arrived + FrameDecoder.FIRST, "held " + d.bufferCapacity());
        FrameDecoder whole = new FrameDecoder(new ByteArrayInputStream(f), false, max);
        assertEquals(max, assertInstanceOf(FrameDecoder.Data.class, whole.next()).message().data().length);
    }

    @Test
    void sequencingViolationsAre1002() {
        assertEquals(1002, rejected(frame(0x80, "x")), "a continuation with nothing to continue");
        assertEquals(1002, rejected(concat(frame(0x01, "a"), frame(0x81, "b"))), "a new message inside a fragmented one");
        assertEquals(1002, rejected(frame(0x09, "p")), "a fragmented ping");
        assertEquals(1002, rejected(frame(0x89, new byte[126])), "a ping over 125 bytes");
        assertEquals(1002, rejected(frame(0x83, "x")), "opcode 3");
        assertEquals(1002, rejected(frame(0x8B, "x")), "opcode 0xB");
        assertEquals(1002, rejected(frame(0xC1, "x")), "RSV1 without an extension");
        assertEquals(1002, rejected(frame(0x81, "x".getBytes(), 7, false)), "an unmasked client frame");
    }

    @Test
    void aClientRejectsMaskedFramesAndReadsUnmaskedOnes() throws IOException {
        FrameDecoder c = new FrameDecoder(new ByteArrayInputStream(frame(0x81, "hi".getBytes(), 7, false)), true, 100);
        assertEquals("hi", text(c.next()));
        FrameDecoder masked = new FrameDecoder(new ByteArrayInputStream(frame(0x81, "hi")), true, 100);
        assertEquals(1002, assertThrows(WebSocketException.class, masked::next).code());
    }

    @Test
    void closeBodiesAreChecked() throws IOException {
        assertEquals(new FrameDecoder.Close(1005, ""), server(frame(0x88, new byte[0]), 100).next());
        assertEquals(1002, rejected(frame(0x88, new byte[] {3})), "a one-byte body");
        assertEquals(1002, rejected(frame(0x88, new byte[] {0x03, (byte) 0xed})), "1005 may not be sent");
        assertEquals(1002, rejected(frame(0x88, new byte[] {0x0b, (byte) 0xb8 - 1})), "2999 is not a code");
        assertEquals(1007, rejected(frame(0x88, new byte[] {0x03, (byte) 0xe8, (byte) 0xff})), "a reason not in UTF-8");
    }

    @Test
    void invalidUtf8IsCaughtAcrossFragments() throws IOException {
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8);   // three bytes, split between fragments
        FrameDecoder d = server(concat(frame(0x01, Arrays.copyOf(euro, 1)), frame(0x80, Arrays.copyOfRange(euro, 1, 3))), 100);
        assertEquals("€", text(d.next()));
        assertEquals(1007, rejected(concat(frame(0x01, Arrays.copyOf(euro, 2)), frame(0x80, new byte[] {'x'}))));
    }

    @Test
    void theStreamEndingInsideAFrameIsAnEofNotAViolation() {
        byte[] f = frame(0x81, "hello");
        for (int cut = 1; cut < f.length; cut++) {
            FrameDecoder d = server(Arrays.copyOf(f, cut), 100);
            assertThrows(EOFException.class, d::next, "cut at " + cut);
        }
    }
}
