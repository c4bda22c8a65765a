package io.eventlet.spi;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PollerTimeoutMillisTest {
    @Test
    void timeoutsAreRoundedUpToMilliseconds() {
        assertEquals(-1, Poller.timeoutMillis(-1));
        assertEquals(-1, Poller.timeoutMillis(Long.MIN_VALUE));
        assertEquals(0, Poller.timeoutMillis(0));
        assertEquals(1, Poller.timeoutMillis(1));
        assertEquals(1, Poller.timeoutMillis(1_000_000));
        assertEquals(2, Poller.timeoutMillis(1_000_001));
        assertEquals(Integer.MAX_VALUE, Poller.timeoutMillis(Long.MAX_VALUE));
    }
}
