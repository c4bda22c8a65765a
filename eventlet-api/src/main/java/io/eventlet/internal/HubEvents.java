package io.eventlet.internal;

import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's one link to JDK Flight Recorder: the {@link HubStatisticsEvent periodic statistics}
 * of every running hub and the {@link HubStallEvent stalls} the blocking detector finds.
 *
 * <p>Nothing of JFR is set up until JFR itself is: the first hub only adds a listener (about a
 * millisecond of class loading); registering the periodic event, which initialises much of JFR
 * (some 200 ms in a cold JVM, measured once by hand), waits for the recorder's own initialisation,
 * that is for the first recording (or {@code -XX:StartFlightRecording}). On the class path, a
 * runtime without the {@code jdk.jfr} module (a trimmed jlink image) gets no events and no error;
 * on the module path {@code io.eventlet} requires that module.
 *
 * <p>Thread-safe: the listener is called by JFR's threads, the periodic hook by JFR's periodic
 * task, {@link #stall} by the detector's thread; each makes its own events.
 */
final class HubEvents {
    private static final Logger log = LoggerFactory.getLogger("io.eventlet.Hub");
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();
    /** Frames of a stalled thread's stack kept in the event: enough to see the culprit. */
    static final int MAX_FRAMES = 64;
    private static volatile boolean available;

    private HubEvents() {
    }

    /** Once per JVM, when the first hub starts: listens for the recorder. */
    static void register() {
        if (REGISTERED.get() || !REGISTERED.compareAndSet(false, true)) {
            return;
        }
        try {
            FlightRecorder.addListener(new Listener());
            available = true;
        } catch (LinkageError | RuntimeException e) {
            log.debug("no JFR events for the hubs: {}", e.toString());
        }
    }

    private static final class Listener implements FlightRecorderListener {
        @Override
        public void recorderInitialized(FlightRecorder recorder) {
            // Registered explicitly: EventType.getEventType refuses a class JFR has not seen yet.
            FlightRecorder.register(HubStallEvent.class);
            FlightRecorder.addPeriodicEvent(HubStatisticsEvent.class, HubEvents::emitStatistics);
            stallSettingChanged();
        }

        @Override
        public void recordingStateChanged(Recording recording) {
            stallSettingChanged();
        }
    }

    /**
     * Tells the detector whether a running recording has {@code io.eventlet.HubStall} on. Checked
     * when a recording starts, stops or closes: enabling the event in an already running
     * recording takes effect at the next recording's change of state.
     */
    private static void stallSettingChanged() {
        BlockingDetector.jfrStallRecording(EventType.getEventType(HubStallEvent.class).isEnabled());
    }

    private static void emitStatistics() {
        for (Loop l : Loop.running()) {
            HubStatisticsEvent e = new HubStatisticsEvent();
            e.hub = l.name();
            e.provider = l.providerName();
            e.greenThreads = l.greenThreadCount();
            e.timers = l.timerCount();
            e.runnable = l.runnable();
            e.tasksRun = l.tasksRun();
            e.timersFired = l.timersFired();
            e.polls = l.polls();
            e.commit();
        }
    }

    /** Records a stall, if a recording wants it. From the detector's thread. */
    static void stall(String hub, String greenThread, long heldNanos, long thresholdNanos, StackTraceElement[] stack) {
        if (!available || !FlightRecorder.isInitialized()) {
            return;   // no recording can want it, and the event class need not load
        }
        HubStallEvent e = new HubStallEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.hub = hub;
        e.greenThread = greenThread == null ? "" : greenThread;
        e.heldFor = heldNanos;
        e.threshold = thresholdNanos;
        e.stack = format(stack);
        e.commit();
    }

    /** One frame per line, as a stack trace prints, at most {@link #MAX_FRAMES}. */
    static String format(StackTraceElement[] stack) {
        StringBuilder b = new StringBuilder();
        int n = Math.min(stack.length, MAX_FRAMES);
        for (int i = 0; i < n; i++) {
            b.append("at ").append(stack[i]).append('\n');
        }
        if (stack.length > n) {
            b.append("... ").append(stack.length - n).append(" more\n");
        }
        return b.toString();
    }
}
