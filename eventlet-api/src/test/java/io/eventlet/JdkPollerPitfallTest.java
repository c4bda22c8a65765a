package io.eventlet;

import io.eventlet.kit.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/**
 * docs/design.md, founding decision 2, pitfall 1: the JDK's socket-poller threads must never be scheduled by a hub.
 * The JDK starts them once per JVM, so each case runs in a fresh child JVM; the control shows the
 * inspection detects the pitfall when something else triggers it.
 */
@Timeout(120)
class JdkPollerPitfallTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    /** For inspection only: reading a poller's private owner field. */
    private static final List<String> INSPECT = List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    @Test
    void greenThreadSocketIoDoesNotPutTheJdkPollersOnItsHub() {
        ChildJvm.Result r = ChildJvm.run(INSPECT, JdkPollerPitfallChild.class, CHILD_TIMEOUT, "eventlet");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("READ=1"), r.linesContaining("READ="), r.output());
        assertFalse(r.linesContaining("POLLER").isEmpty(), "no poller inspected:\n" + r.output());
        assertEquals(List.of(), r.linesContaining("UNSTARTED"), r.output());
        assertEquals(List.of(), r.linesContaining("VIOLATION"), r.output());
    }

    @Test
    void controlWithoutEventletShowsTheCheckDetectsThePitfall() {
        ChildJvm.Result r = ChildJvm.run(INSPECT, JdkPollerPitfallChild.class, CHILD_TIMEOUT, "control");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of("READ=1"), r.linesContaining("READ="), r.output());
        assertFalse(r.linesContaining("VIOLATION").isEmpty(),
                "a custom-scheduled virtual thread started the JDK pollers, yet the check saw nothing:\n" + r.output());
    }
}
