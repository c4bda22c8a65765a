package io.eventlet.hub.poll;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The layout of POSIX {@code struct pollfd}, the one place that knows it:
 *
 * <pre>{@code
 * struct pollfd {
 *     int   fd;        // a negative fd is skipped, and its revents set to 0
 *     short events;    // what to wait for: POLLIN, POLLOUT
 *     short revents;   // what happened, written by poll()
 * };
 * }</pre>
 *
 * <p>8 bytes with no padding on every ABI that has poll (Linux, the BSDs, macOS on x86_64 and
 * aarch64 alike), and the bit values below are the same on all of them. Elements are indexed
 * from 0 in a native array, held in a direct buffer in native byte order.
 *
 * <p>Stateless and thread-safe; the arrays it reads and writes belong to their poller's thread.
 */
final class PollFd {
    static final int SIZE = 8;
    private static final int FD_OFFSET = 0;
    private static final int EVENTS_OFFSET = 4;
    private static final int REVENTS_OFFSET = 6;

    static final short POLLIN = 0x001;
    static final short POLLOUT = 0x004;
    static final short POLLERR = 0x008;
    static final short POLLHUP = 0x010;
    static final short POLLNVAL = 0x020;

    private PollFd() {
    }

    static void set(ByteBuffer array, int index, int fd, short events) {
        int base = index * SIZE;
        array.putInt(base + FD_OFFSET, fd);
        array.putShort(base + EVENTS_OFFSET, events);
        array.putShort(base + REVENTS_OFFSET, (short) 0);
    }

    static int fd(ByteBuffer array, int index) {
        return array.getInt(index * SIZE + FD_OFFSET);
    }

    static short events(ByteBuffer array, int index) {
        return array.getShort(index * SIZE + EVENTS_OFFSET);
    }

    static short revents(ByteBuffer array, int index) {
        return array.getShort(index * SIZE + REVENTS_OFFSET);
    }

    /** Copies element {@code from} over element {@code to}. */
    static void move(ByteBuffer array, int from, int to) {
        array.putLong(to * SIZE, array.getLong(from * SIZE));
    }

    /**
     * A native array of {@code capacity} elements: a direct buffer in native byte order, so every
     * field is a plain memory load or store (through a JNR pointer each was a JNI call, and poll's
     * scan reads every element's {@code revents} on every turn).
     */
    static ByteBuffer allocate(int capacity) {
        return ByteBuffer.allocateDirect(capacity * SIZE).order(ByteOrder.nativeOrder());
    }
}
