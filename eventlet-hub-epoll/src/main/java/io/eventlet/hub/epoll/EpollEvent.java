package io.eventlet.hub.epoll;

import java.util.Locale;
import jnr.ffi.Pointer;

/**
 * The layout of Linux's {@code struct epoll_event}: the one place that knows it.
 *
 * <pre>{@code
 * typedef union epoll_data {
 *     void     *ptr;
 *     int       fd;
 *     uint32_t  u32;
 *     uint64_t  u64;
 * } epoll_data_t;
 *
 * struct epoll_event {
 *     uint32_t     events;    // EPOLLIN, EPOLLOUT, ... (bit mask)
 *     epoll_data_t data;      // handed back untouched by epoll_wait
 * } __EPOLL_PACKED;
 * }</pre>
 *
 * <p>{@code __EPOLL_PACKED} is {@code __attribute__((packed))} on x86_64 only, a leftover of the
 * i386 ABI: there the struct is 12 bytes with {@code data} at offset 4. Everywhere else (aarch64)
 * {@code data} is 8-aligned: 16 bytes, {@code data} at 8. Other architectures are refused rather
 * than guessed.
 *
 * <p>Immutable and thread-safe. A record, so the JIT trusts its final fields as constants.
 *
 * @param size bytes per element of an epoll_event array
 * @param dataOffset where {@code data.u64} starts
 */
record EpollEvent(int size, int dataOffset) {
    static final int EVENTS_OFFSET = 0;

    /**
     * The layout on the architecture named by {@code os.arch}.
     *
     * @throws UnsupportedOperationException for an architecture whose layout is not known here
     */
    static EpollEvent of(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> new EpollEvent(12, 4);   // packed
            case "aarch64", "arm64" -> new EpollEvent(16, 8);  // natural alignment
            default -> throw new UnsupportedOperationException("the layout of struct epoll_event on os.arch '" + osArch
                    + "' is not known to this hub (x86_64 and aarch64 are); use -Deventlet.hub=poll or selector");
        };
    }

    /** The {@code events} mask of element {@code index}, from a direct buffer in native byte order. */
    int events(java.nio.ByteBuffer array, int index) {
        return array.getInt(index * size + EVENTS_OFFSET);
    }

    /** The {@code data.u64} of element {@code index} (unaligned on x86_64, which reads it directly). */
    long data(java.nio.ByteBuffer array, int index) {
        return array.getLong(index * size + dataOffset);
    }

    void put(Pointer array, int index, int events, long data) {
        array.putInt((long) index * size + EVENTS_OFFSET, events);
        array.putLongLong((long) index * size + dataOffset, data);
    }
}
