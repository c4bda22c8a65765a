package io.eventlet.http.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The connection buffers: output order across releases, input release rules, the bounded pool. */
class BuffersTest {
    @Test
    void outputKeepsOrderAcrossSmallLargeAndFlushedWritesAndHoldsNothingAfterAFlush() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        HttpOutput out = new HttpOutput(sink);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            int size = switch (i % 4) {
                case 0 -> 1;
                case 1 -> random.nextInt(2000);
                case 2 -> Buffers.SIZE - 1 + random.nextInt(3);   // around the buffer's size
                default -> random.nextInt(3 * Buffers.SIZE);
            };
            byte[] chunk = new byte[size];
            random.nextBytes(chunk);
            if (size == 1) {
                out.write(chunk[0]);
            } else {
                out.write(chunk, 0, size);
            }
            expected.write(chunk);
            if (i % 7 == 0) {
                out.flush();
                assertFalse(out.holdsBuffer());
                assertArrayEquals(expected.toByteArray(), sink.toByteArray());
            }
        }
        out.flush();
        assertFalse(out.holdsBuffer());
        assertArrayEquals(expected.toByteArray(), sink.toByteArray());
    }

    @Test
    void inputReleasesOnlyWhenEmptyAndWaitsForBytesBeforeTakingABuffer() throws IOException {
        int[] waits = {0};
        HttpInput in = new HttpInput(new ByteArrayInputStream("one\r\ntwo\r\nthree".getBytes(StandardCharsets.ISO_8859_1)),
                () -> waits[0]++, null);
        assertEquals("one", in.readLine(100, 400, "line", true));
        assertEquals(1, waits[0], "waited once before taking its first buffer");
        in.releaseIfEmpty();
        assertTrue(in.holdsBuffer(), "bytes still buffered: kept");
        assertEquals("two", in.readLine(100, 400, "line", true));
        byte[] rest = new byte[5];
        in.readFully(rest, 0, 5);
        assertEquals("three", new String(rest, StandardCharsets.ISO_8859_1));
        in.releaseIfEmpty();
        assertFalse(in.holdsBuffer(), "empty: given back");
        assertEquals(-1, in.read());
        assertEquals(2, waits[0], "waited again before taking a new buffer");

        HttpInput keeps = new HttpInput(new ByteArrayInputStream(new byte[] {'x', '\n'}));
        assertEquals("x", keeps.readLine(10, 400, "line", true));
        keeps.releaseIfEmpty();
        assertTrue(keeps.holdsBuffer(), "without a way to wait for bytes (TLS) the buffer is kept");
        keeps.release();
        assertFalse(keeps.holdsBuffer());
    }

    @Test
    void thePoolIsBoundedAndIgnoresForeignArrays() {
        List<byte[]> taken = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            taken.add(Buffers.take());
        }
        for (byte[] b : taken) {
            Buffers.give(b);
        }
        assertTrue(Buffers.pooled() <= 256, "at most 256 kept: " + Buffers.pooled());
        int before = Buffers.pooled();
        Buffers.give(new byte[10]);
        assertEquals(before, Buffers.pooled(), "an array of another size is not pooled");
    }
}
