package io.eventlet.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One callback due at a deadline on a hub: the node of its {@link TimerHeap}. Sleeps, timeouts
 * and socket deadlines use it directly; the public {@link io.eventlet.Timer} is a handle on one.
 *
 * <p>Thread-safe: {@link #cancel()} and the queries from any thread (the state is one CAS-ed
 * int); the heap bookkeeping fields are touched only by the hub's thread.
 */
public final class ScheduledCall {
    static final int PENDING = 0;
    static final int FIRED = 1;
    static final int CANCELLED = 2;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledCall.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Loop loop;
    final long deadline;
    final Runnable action;
    /** Ties on the deadline fire in scheduling order; assigned by the heap. */
    long seq;
    /** Heap bookkeeping, touched only by the hub's thread: in the heap, and counted as cancelled there. */
    boolean inHeap;
    boolean counted;
    private volatile int state;

    /** A call for {@code loop}; null only for one that lives in a bare {@link TimerHeap} (its tests). */
    ScheduledCall(Loop loop, long deadline, Runnable action) {
        this.loop = loop;
        this.deadline = deadline;
        this.action = action;
    }

    /** Stops the callback from running; true if this call cancelled it. From any thread. */
    public boolean cancel() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
            if (loop != null) {
                loop.timerCancelled(this);
            }
            return true;
        }
        return false;
    }

    public boolean isPending() {
        return state == PENDING;
    }

    public boolean hasFired() {
        return state == FIRED;
    }

    boolean isCancelled() {
        return state == CANCELLED;
    }

    /** Claims the call for firing; false when it was cancelled first. Hub thread only. */
    boolean claimForFiring() {
        return STATE.compareAndSet(this, PENDING, FIRED);
    }

    @Override
    public String toString() {
        return "Timer[" + (state == PENDING ? "pending" : state == FIRED ? "fired" : "cancelled") + ", " + action + "]";
    }
}
