package io.eventlet.internal;

/**
 * A monotonic clock in nanoseconds, injectable so timer logic is tested without sleeping.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface NanoClock {
    /** The system's monotonic clock. */
    NanoClock SYSTEM = System::nanoTime;

    long nanoTime();
}
