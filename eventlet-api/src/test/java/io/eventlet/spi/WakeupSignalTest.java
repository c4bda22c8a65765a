package io.eventlet.spi;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WakeupSignalTest {
    private final AtomicInteger sent = new AtomicInteger();
    private final WakeupSignal signal = new WakeupSignal(sent::incrementAndGet);

    @Test
    void wakeUpsBeforeADrainAreCoalescedIntoOneSignal() throws IOException {
        signal.wakeup();
        signal.wakeup();
        assertEquals(1, sent.get());
        assertEquals("WakeupSignal[pending]", signal.toString());
        signal.drained(() -> { });
        assertEquals("WakeupSignal[idle]", signal.toString());
        signal.wakeup();
        assertEquals(2, sent.get());
    }

    @Test
    void aWakeUpDuringTheDrainIsNotLostForTheNextOne() throws IOException {
        signal.wakeup();
        // Sent between the drain's read and the flag's reset: it needs no signal of its own (the
        // poll has returned), but it must not leave the flag set for good.
        signal.drained(signal::wakeup);
        assertEquals(1, sent.get());
        signal.wakeup();
        assertEquals(2, sent.get(), "a wake-up after the drain signals again");
    }

    @Test
    void aFailedDrainKeepsTheSignalPending() {
        signal.wakeup();
        IOException failure = new IOException("read failed");
        assertEquals(failure, assertThrows(IOException.class, () -> signal.drained(() -> {
            throw failure;
        })));
        signal.wakeup();
        assertEquals(1, sent.get());
    }

    @Test
    void noSignalAfterCloseAndCloseReportsOnlyTheFirstTime() {
        assertFalse(signal.isClosed());
        assertTrue(signal.close());
        assertFalse(signal.close());
        assertTrue(signal.isClosed());
        signal.wakeup();
        assertEquals(0, sent.get());
        assertEquals("WakeupSignal[closed]", signal.toString());
    }

    @Test
    void aSenderThatFailsDoesNotThrowFromWakeup() {
        WakeupSignal failing = new WakeupSignal(() -> {
            sent.incrementAndGet();
            throw new IOException("EAGAIN");
        });
        failing.wakeup();
        WakeupSignal crashing = new WakeupSignal(() -> {
            throw new IllegalStateException("closed underneath");
        });
        crashing.wakeup();
        assertEquals(1, sent.get());
        assertEquals("WakeupSignal[pending]", failing.toString());
    }
}
