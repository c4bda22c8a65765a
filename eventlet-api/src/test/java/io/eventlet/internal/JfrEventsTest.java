package io.eventlet.internal;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.hub.selector.SelectorHubProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hubs' JFR events, read back from real recordings. The detector and JFR are JVM-wide and
 * the loop does not depend on the kind of hub, so these run once, on the selector hub, rather
 * than in the conformance kit.
 */
@Timeout(90)
class JfrEventsTest {
    @TempDir
    Path dir;

    /** Holds its hub with the CPU, never yielding: what the detector must catch and name. */
    static void holdTheHubWithoutYielding(Duration d) {
        long until = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    @Test
    void aRecordingThatEnablesHubStallSwitchesTheDetectorOnAndRecordsTheStalledThread() throws Exception {
        Path file = dir.resolve("stall.jfr");
        String hubName;
        try (Recording r = new Recording()) {
            r.enable("io.eventlet.HubStall");
            r.enable("io.eventlet.HubStatistics").withPeriod(Duration.ofMillis(50));
            r.start();
            assertEquals(BlockingDetector.JFR_THRESHOLD, BlockingDetector.thresholdNow(), "the recording switched detection on");
            hubName = Hub.run(new SelectorHubProvider(), () -> {
                GreenThread<Void> staller = Eventlet.spawn("stall-maker", () -> {
                    holdTheHubWithoutYielding(Duration.ofMillis(600));
                    return null;
                });
                staller.join();
                return Hub.current().name();
            });
            r.stop();
            r.dump(file);
        }
        assertEquals(0, BlockingDetector.thresholdNow(), "the recording stopped: detection is off again");

        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        List<RecordedEvent> stalls = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.eventlet.HubStall"))
                .filter(e -> hubName.equals(e.getString("hub")))
                .toList();
        assertEquals(1, stalls.size(), "one episode, one event: " + stalls);
        RecordedEvent stall = stalls.get(0);
        assertEquals("stall-maker", stall.getString("greenThread"));
        assertTrue(stall.getDuration("heldFor").toMillis() >= 100, stall.toString());
        assertEquals(Duration.ofNanos(BlockingDetector.JFR_THRESHOLD), stall.getDuration("threshold"));
        assertTrue(stall.getString("stack").contains("holdTheHubWithoutYielding"), stall.getString("stack"));
        assertTrue(stall.getEventType().getCategoryNames().contains("eventlet"), stall.getEventType().getCategoryNames().toString());

        List<RecordedEvent> stats = events.stream()
                .filter(e -> e.getEventType().getName().equals("io.eventlet.HubStatistics"))
                .filter(e -> hubName.equals(e.getString("hub")))
                .toList();
        assertFalse(stats.isEmpty(), "the hub ran for 600 ms with a 50 ms period: " + events.size() + " events in all");
        for (RecordedEvent s : stats) {
            assertEquals("selector", s.getString("provider"));
            assertTrue(s.getInt("greenThreads") >= 1 && s.getInt("greenThreads") <= 2, s.toString());
            assertTrue(s.getLong("tasksRun") >= 1, s.toString());
            assertTrue(s.getInt("timers") >= 0 && s.getInt("runnable") >= 0 && s.getLong("polls") >= 0 && s.getLong("timersFired") >= 0, s.toString());
        }
    }

    @Test
    void everyRunningHubHasAStatisticsEventAndNoStallIsRecordedWhenTheEventIsOff() throws Exception {
        Path file = dir.resolve("stats.jfr");
        Hub a = Hub.start(new SelectorHubProvider());
        Hub b = Hub.start(new SelectorHubProvider());
        try (Recording r = new Recording()) {
            r.enable("io.eventlet.HubStatistics").withPeriod(Duration.ofMillis(20));
            r.start();
            assertEquals(0, BlockingDetector.thresholdNow(), "HubStall is off: so is the detector");
            for (int i = 0; i < 10; i++) {   // 1.5 s of work: many periods, even for a JFR that starts cold
                a.spawn(() -> {
                    holdTheHubWithoutYielding(Duration.ofMillis(150));   // not recorded: the event is off
                    return null;
                }).join();
                b.spawn(() -> null).join();
            }
            r.stop();
            r.dump(file);
        } finally {
            a.close();
            b.close();
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        for (Hub h : List.of(a, b)) {
            List<RecordedEvent> mine = events.stream()
                    .filter(e -> e.getEventType().getName().equals("io.eventlet.HubStatistics"))
                    .filter(e -> h.name().equals(e.getString("hub")))
                    .toList();
            assertFalse(mine.isEmpty(), () -> "no statistics for " + h.name() + " in "
                    + events.stream().map(e -> e.getEventType().getName() + (e.hasField("hub") ? " " + e.getString("hub") : "")).distinct().toList());
            long maxTasks = mine.stream().mapToLong(e -> e.getLong("tasksRun")).max().orElseThrow();
            assertTrue(maxTasks >= 1 && maxTasks <= 1_000, "plausible: " + maxTasks);
        }
        assertTrue(events.stream().noneMatch(e -> e.getEventType().getName().equals("io.eventlet.HubStall")), "HubStall was not enabled");
    }
}
