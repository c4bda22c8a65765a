package io.eventlet;

import io.eventlet.spi.Poller;

/**
 * What a green thread waits for on a channel. Never empty, by construction.
 *
 * {@snippet :
 * Eventlet.trampoline(channel, Interest.READ, Duration.ofSeconds(5));   // until readable, or SocketTimeoutException
 * }
 */
public enum Interest {
    /** Readable, or a connection to accept. */
    READ(Poller.READ),
    /** Writable, or a connect that finished. */
    WRITE(Poller.WRITE),
    /** Either one. */
    READ_WRITE(Poller.READ | Poller.WRITE);

    final int ops;

    Interest(int ops) {
        this.ops = ops;
    }

    /**
     * The {@link Poller} bits of this interest.
     *
     * @return {@link Poller#READ}, {@link Poller#WRITE} or both
     */
    public int ops() {
        return ops;
    }
}
