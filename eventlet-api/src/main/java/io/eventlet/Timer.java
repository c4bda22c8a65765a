package io.eventlet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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
    static final int PENDING = 0;
    static final int FIRED = 1;
    static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timer.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Hub hub;
    final long deadline;
    final Runnable action;
    /** Ties on the deadline fire in scheduling order; assigned by the heap. */
    long seq;
    /** Heap bookkeeping, touched only by the hub's thread: in the heap, and counted as cancelled there. */
    boolean inHeap;
    boolean counted;
    private volatile int state;

    Timer(Hub hub, long deadline, Runnable action) {
        this.hub = hub;
        this.deadline = deadline;
        this.action = action;
    }

    /**
     * Stops the callback from running. Returns true if this call cancelled it, false if it had
     * already run or been cancelled.
     */
    public boolean cancel() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            if (hub != null) {   // null only for a timer that lives in a bare TimerHeap (its tests)
                hub.timerCancelled(this);
            }
            return true;
        }
        return false;
    }

    /** True until the callback has run or the timer is cancelled. */
    public boolean isPending() {
        return state == PENDING;
    }

    /** True once the callback has started to run. */
    public boolean hasFired() {
        return state == FIRED;
    }

    boolean isCancelled() {
        return state == CANCELLED;
    }

    /** Claims the timer for firing; false when it was cancelled first. Hub thread only. */
    boolean claimForFiring() {
        return STATE.compareAndSet(this, PENDING, FIRED);
    }

    @Override
    public String toString() {
        return "Timer[" + (state == PENDING ? "pending" : state == FIRED ? "fired" : "cancelled") + ", " + action + "]";
    }
}
