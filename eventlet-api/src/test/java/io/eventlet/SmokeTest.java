package io.eventlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class SmokeTest {
    @Test
    void runSpawnSleepJoin() {
        List<String> order = new ArrayList<>();
        int r = Eventlet.run(() -> {
            GreenThread<Integer> a = Eventlet.spawn(() -> { Eventlet.sleep(Duration.ofMillis(20)); order.add("a"); return 1; });
            GreenThread<Integer> b = Eventlet.spawn(() -> { order.add("b"); return 2; });
            assertFalse(a.isDone());
            return a.join() + b.join();
        });
        assertEquals(3, r);
        assertEquals(List.of("b", "a"), order);
    }

    @Test
    void killSleeping() {
        Eventlet.run(() -> {
            List<String> seen = new ArrayList<>();
            GreenThread<Void> g = Eventlet.spawn(() -> {
                try { Eventlet.sleep(Duration.ofHours(1)); } catch (GreenThreadExit e) { seen.add("caught"); throw e; }
                return null;
            });
            Eventlet.sleep();
            g.kill();
            assertEquals(List.of("caught"), seen);
            assertTrue(g.isDone());
            assertThrows(GreenThreadExit.class, g::join);
            return null;
        });
    }

    @Test
    void timeoutFires() {
        Eventlet.run(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(10));
            try {
                Eventlet.sleep(Duration.ofSeconds(5));
                fail("no timeout");
            } catch (Timeout e) {
                assertSame(t, e);
            } finally {
                t.cancel();
            }
            return null;
        });
    }

    @Test
    void defaultHubFromPlainThread() {
        GreenThread<String> g = Eventlet.spawn(() -> { Eventlet.sleep(Duration.ofMillis(5)); return "x"; });
        assertEquals("x", g.join());
    }
}
