package io.eventlet.http.internal;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The byte arrays that connections read and write through, shared by every hub and kept only
 * while a connection has bytes in flight. An idle keep-alive connection, server or client side,
 * holds none (over TLS it keeps its read buffer; the engine holds larger ones of its own): with thousands of idle connections that is the difference between a few hundred
 * bytes and 32 KiB each (measured by {@code ./eventlet demo}: 64 KB per connection with both
 * sides buffered for life, see docs/design.md). Recycling also spares zeroing 16 KiB per request.
 *
 * <p>Thread-safe and non-blocking: a hub's thread never waits here.
 */
public final class Buffers {
    /** The size of every array: what one read or one write of a connection moves at most through it. */
    public static final int SIZE = 16 * 1024;
    /** Arrays kept for reuse; beyond this many a returned array is left to the GC. */
    private static final int MAX_POOLED = 256;

    private static final ConcurrentLinkedQueue<byte[]> FREE = new ConcurrentLinkedQueue<>();
    private static final AtomicInteger POOLED = new AtomicInteger();

    private Buffers() {
    }

    public static byte[] take() {
        byte[] b = FREE.poll();
        if (b == null) {
            return new byte[SIZE];
        }
        POOLED.decrementAndGet();
        return b;
    }

    /** Gives {@code b} back; the caller must not touch it again. */
    public static void give(byte[] b) {
        if (b.length != SIZE) {
            return;   // not one of ours
        }
        if (POOLED.incrementAndGet() <= MAX_POOLED) {
            FREE.offer(b);
        } else {
            POOLED.decrementAndGet();   // full: left to the GC
        }
    }

    /** Arrays waiting for reuse now (for tests). */
    public static int pooled() {
        return POOLED.get();
    }
}
