package io.eventlet.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Eventlet's {@code hub_blocking_detection}: with {@code -Deventlet.debug.blocking=100ms}, a
 * watchdog thread logs, once per episode, the stack of the green thread (or the timer callback)
 * that has held its hub longer than the threshold. Off by default, and then it costs nothing: the
 * hub writes its "busy since" stamp only when detection is on.
 *
 * <p>Thread-safe: the watchdog reads each hub's stamp (an opaque write by the hub) and, only when a
 * hub is stuck, walks that hub's registry to find the mounted green thread.
 */
final class BlockingDetector {
    static final String PROPERTY = "eventlet.debug.blocking";
    private static final Logger log = LoggerFactory.getLogger("io.eventlet.BlockingDetector");
    /** Loop -> the busy stamp of the episode already reported. */
    private static final Map<Loop, Long> WATCHED = new ConcurrentHashMap<>();
    private static volatile Thread watchdog;

    private BlockingDetector() {
    }

    /** The configured threshold in nanoseconds, or 0 when detection is off. */
    static long thresholdNanos() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank() || v.equalsIgnoreCase("off") || v.equalsIgnoreCase("false")) {
            return 0;
        }
        Duration d = Durations.parse(PROPERTY, v);
        return Math.max(1, d.toNanos());
    }

    static void watch(Loop hub, long thresholdNanos) {
        WATCHED.put(hub, 0L);
        synchronized (BlockingDetector.class) {
            if (watchdog == null) {
                long period = Math.max(1_000_000L, thresholdNanos / 4);
                watchdog = Thread.ofPlatform().daemon().name("eventlet-blocking-detector")
                        .start(() -> watchLoop(thresholdNanos, period));
            }
        }
    }

    static void unwatch(Loop hub) {
        WATCHED.remove(hub);
    }

    private static void watchLoop(long threshold, long period) {
        while (true) {
            LockSupport.parkNanos(period);
            long now = System.nanoTime();
            for (Map.Entry<Loop, Long> e : WATCHED.entrySet()) {
                Loop hub = e.getKey();
                long since = hub.busySince();
                if (since != 0 && now - since > threshold && e.getValue() != since) {
                    e.setValue(since);
                    report(hub, now - since);
                }
            }
        }
    }

    private static void report(Loop hub, long heldNanos) {
        Greenlet g = hub.mountedGreenlet();
        Throwable where = new Throwable("stack of " + (g != null ? g : "the hub's timer callback"));
        StackTraceElement[] stack = g != null ? g.thread.getStackTrace() : hub.thread().getStackTrace();
        where.setStackTrace(stack);
        log.warn("hub {} blocked for {} ms by {}: a green thread must not hold its hub; move blocking work to Tpool or yield with Eventlet.sleep()",
                hub.name(), heldNanos / 1_000_000, g != null ? g : "a timer callback", where);
    }
}
