package io.eventlet.http.internal;

import java.time.Duration;

/**
 * A progress rule for bytes a peer controls the speed of (Apache mod_reqtimeout's
 * {@code MinRate}): the transfer is allowed {@code timeout}, plus one second for every
 * {@code minRate} bytes moved so far ({@code minRate} 0: {@code timeout} alone). A request body
 * ({@link BodyInput}) counts wall time from its first read; a response ({@link HttpOutput})
 * counts only the time its writes wait for the peer.
 */
public record Pace(Duration timeout, long minRate) {
    /** The time allowed once {@code bytes} have moved, in nanoseconds. */
    long allowanceNanos(long bytes) {
        long extra = minRate > 0 ? Math.min(bytes / minRate, 1L << 31) * 1_000_000_000L : 0;
        return timeout.toNanos() + extra;
    }
}
