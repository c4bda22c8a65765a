package io.eventlet;

import io.eventlet.kit.ChildJvm;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.*;

/** The blocking detector reads its property once per JVM, so each case runs in a child JVM. */
@Timeout(90)
class BlockingDetectorTest {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);

    private static String hubName(ChildJvm.Result r) {
        List<String> hub = r.linesContaining("HUB=");
        assertEquals(1, hub.size(), r.output());
        return hub.get(0).substring(hub.get(0).indexOf("HUB=") + 4).strip();
    }

    @Test
    void greenThreadHoldingTheHubIsReportedOnceWithItsStack() {
        ChildJvm.Result r = ChildJvm.run(List.of("-Deventlet.debug.blocking=50ms"), BlockingDetectorChild.class, CHILD_TIMEOUT, "300");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(1, r.linesContaining("SPUN").size(), r.output());
        List<String> reports = r.linesContaining("blocked for");
        assertEquals(1, reports.size(), "one episode, one report:\n" + r.output());
        assertTrue(reports.get(0).contains(hubName(r)), reports.get(0));
        assertTrue(r.output().contains("spinTheCpuWithoutYielding"), "the report should carry the spinning stack:\n" + r.output());
    }

    @Test
    void nothingIsReportedWithoutTheProperty() {
        ChildJvm.Result r = ChildJvm.run(List.of(), BlockingDetectorChild.class, CHILD_TIMEOUT, "300");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(1, r.linesContaining("SPUN").size(), r.output());
        assertEquals(List.of(), r.linesContaining("blocked for"), r.output());
        assertFalse(r.output().contains("spinTheCpuWithoutYielding"), r.output());
    }

    @Test
    void shortWorkBelowTheThresholdIsNotReported() {
        ChildJvm.Result r = ChildJvm.run(List.of("-Deventlet.debug.blocking=5s"), BlockingDetectorChild.class, CHILD_TIMEOUT, "300");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(List.of(), r.linesContaining("blocked for"), r.output());
    }
}
