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

    /**
     * The README's command line: the property switches detection on (and the log), and
     * {@code -XX:StartFlightRecording} with the event added records the same stall.
     */
    @Test
    void theReadmesCommandLineRecordsTheStallInJfrNextToTheLog(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("child.jfr");
        ChildJvm.Result r = ChildJvm.run(List.of("-Deventlet.debug.blocking=50ms",
                        "-XX:StartFlightRecording:filename=" + file + ",+io.eventlet.HubStall#enabled=true"),
                BlockingDetectorChild.class, CHILD_TIMEOUT, "300");
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(1, r.linesContaining("blocked for").size(), r.output());
        assertTrue(java.nio.file.Files.exists(file), r.output());
        List<jdk.jfr.consumer.RecordedEvent> stalls = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().equals("io.eventlet.HubStall"))
                .toList();
        assertEquals(1, stalls.size(), stalls.toString());
        jdk.jfr.consumer.RecordedEvent stall = stalls.get(0);
        assertEquals(hubName(r), stall.getString("hub"));
        assertEquals(hubName(r) + "-green-1", stall.getString("greenThread"), "the main green thread, by its default name");
        assertEquals(Duration.ofMillis(50), stall.getDuration("threshold"), "the property's threshold");
        assertTrue(stall.getString("stack").contains("spinTheCpuWithoutYielding"), stall.getString("stack"));
    }
}
