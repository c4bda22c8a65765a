package io.eventlet;

import io.eventlet.internal.ScheduledCall;

/**
 * A callback scheduled on a hub: eventlet's {@code hub.schedule_call_global}. The callback runs on
 * the hub's own thread, not in a green thread: it may wake green threads and schedule timers, but
 * must not block (a green-blocking call from it throws {@link IllegalStateException}).
 *
 * <p>Thread-safe: {@link #cancel()} may be called from any thread.
 *
 * {@snippet :
 * Timer t = Hub.current().schedule(Duration.ofMillis(50), () -> System.out.println("tick"));
 * t.cancel();   // it will not run
 * }
 */
public final class Timer {
    private final ScheduledCall call;

    Timer(ScheduledCall call) {
        this.call = call;
    }

    /**
     * Stops the callback from running. Returns true if this call cancelled it, false if it had
     * already run or been cancelled.
     *
     * @return whether this call stopped the callback
     */
    public boolean cancel() {
        return call.cancel();
    }

    /**
     * True until the callback has run or the timer is cancelled.
     *
     * @return whether the callback may still run
     */
    public boolean isPending() {
        return call.isPending();
    }

    /**
     * True once the callback has started to run.
     *
     * @return whether the callback has begun to run
     */
    public boolean hasFired() {
        return call.hasFired();
    }

    @Override
    public String toString() {
        return call.toString();
    }
}
