package io.eventlet.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eventlet's {@code hub_blocking_detection}: a watchdog thread reports, once per episode, the
 * stack of the green thread (or the timer callback) that has held its hub longer than the
 * threshold. Two things switch it on:
 * <ul>
 *   <li>{@code -Deventlet.debug.blocking=100ms}: on for the JVM's life with that threshold; each
 *       report is a WARN log line and, when a recording has it on, a
 *       {@link HubStallEvent io.eventlet.HubStall} JFR event.</li>
 *   <li>with the property unset, a JFR recording that enables {@code io.eventlet.HubStall}: on at
 *       {@link #JFR_THRESHOLD} while such a recording runs, reporting by the event only (a
 *       recording asked for events, not for log lines). {@code -Deventlet.debug.blocking=off}
 *       keeps it off even then.</li>
 * </ul>
 * Off, it costs the hub one volatile read per turn: the hub writes its "busy since" stamp only
 * while detection is on, and the watchdog sleeps until it is.
 *
 * <p>Thread-safe: the watchdog reads each hub's stamp (an opaque write by the hub) and, only when a
 * hub is stuck, walks that hub's registry to find the mounted green thread; the switch is a
 * volatile threshold, set under this class's lock.
 */
final class BlockingDetector {
    static final String PROPERTY = "eventlet.debug.blocking";
    /** The threshold when a JFR recording switches detection on and the property gives none. */
    static final long JFR_THRESHOLD = Duration.ofMillis(100).toNanos();
    private static final Logger log = LoggerFactory.getLogger("io.eventlet.BlockingDetector");
    /** Loop -> the busy stamp of the episode already reported. */
    private static final Map<Loop, Long> WATCHED = new ConcurrentHashMap<>();
    /** The property's threshold in nanoseconds; 0 when unset, -1 when set to off. */
    private static final long CONFIGURED = configured();
    /** The threshold in force, 0 while detection is off. */
    private static volatile long threshold = Math.max(0, CONFIGURED);
    private static Thread watchdog;   // guarded by the class lock

    private BlockingDetector() {
    }

    private static long configured() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return 0;
        }
        if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false")) {
            return -1;
        }
        Duration d = Durations.parse(PROPERTY, v);
        return Math.max(1, d.toNanos());
    }

    /** The configured threshold in nanoseconds, or 0 when the property does not switch detection on. */
    static long thresholdNanos() {
        return Math.max(0, CONFIGURED);
    }

    /** True while hubs must stamp their tasks; the hub reads it once per turn. */
    static boolean isOn() {
        return threshold != 0;
    }

    /** The threshold in force, 0 when off. */
    static long thresholdNow() {
        return threshold;
    }

    /** A hub starts: watch it, and make sure JFR can reach the detector. */
    static void watch(Loop hub) {
        WATCHED.put(hub, 0L);
        HubEvents.register();
        if (threshold != 0) {
            ensureWatchdog();
        }
    }

    static void unwatch(Loop hub) {
        WATCHED.remove(hub);
    }

    /** JFR says whether a running recording has {@code io.eventlet.HubStall} on. */
    static synchronized void jfrStallRecording(boolean enabled) {
        if (CONFIGURED != 0) {
            return;   // the property decides: on for good, or off for good
        }
        long t = enabled ? JFR_THRESHOLD : 0;
        if (t != threshold) {
            threshold = t;
            if (t != 0) {
                ensureWatchdog();
            }
        }
    }

    private static synchronized void ensureWatchdog() {
        if (watchdog == null) {
            watchdog = Thread.ofPlatform().daemon().name("eventlet-blocking-detector").start(BlockingDetector::watchLoop);
        } else {
            LockSupport.unpark(watchdog);
        }
    }

    private static void watchLoop() {
        while (true) {
            long t = threshold;
            if (t == 0) {
                LockSupport.park(BlockingDetector.class);   // until switched on again
                continue;
            }
            LockSupport.parkNanos(Math.max(1_000_000L, t / 4));
            long now = System.nanoTime();
            for (Map.Entry<Loop, Long> e : WATCHED.entrySet()) {
                Loop hub = e.getKey();
                long since = hub.busySince();
                if (since != 0 && now - since > t && e.getValue() != since) {
                    e.setValue(since);
                    report(hub, now - since, t);
                }
            }
        }
    }

    private static void report(Loop hub, long heldNanos, long thresholdNanos) {
        Greenlet g = hub.mountedGreenlet();
        StackTraceElement[] stack = g != null ? g.thread.getStackTrace() : hub.thread().getStackTrace();
        if (CONFIGURED > 0) {
            Throwable where = new Throwable("stack of " + (g != null ? g : "the hub's timer callback"));
            where.setStackTrace(stack);
            log.warn("hub {} blocked for {} ms by {}: a green thread must not hold its hub; move blocking work to Tpool or yield with Eventlet.sleep()",
                    hub.name(), heldNanos / 1_000_000, g != null ? g : "a timer callback", where);
        }
        HubEvents.stall(hub.name(), g != null ? g.thread.getName() : null, heldNanos, thresholdNanos, stack);
    }
}
