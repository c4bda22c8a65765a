package io.eventlet.sync;


import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import java.time.Duration;
import java.util.Objects;

/**
 * A semaphore bounded both ways: eventlet's {@code CappedSemaphore}. {@link #acquire()} waits
 * while the count is 0; {@link #release()} waits while it is at {@code limit}. Each side is served
 * first come, first served; an acquire and a waiting release meet directly.
 *
 * <h2>Threading</h2>
 * Thread-safe, like {@link Semaphore}.
 */
public final class CappedSemaphore {
    private final WaitList acquirers = new WaitList();   // also the lock
    private final WaitList releasers = new WaitList();
    private final int limit;
    private int count;

    /**
     * A semaphore whose count starts at {@code count} and stays between 0 and {@code limit}:
     * acquire waits at 0, release waits at the limit.
     *
     * @param count the initial count
     * @param limit the most the count can reach
     * @throws IllegalArgumentException when {@code count} is negative or above {@code limit}
     */
    public CappedSemaphore(int count, int limit) {
        if (count < 0 || limit < 1 || count > limit) {
            throw new IllegalArgumentException("need 0 <= count <= limit and limit >= 1, got count " + count + ", limit " + limit);
        }
        this.count = count;
        this.limit = limit;
    }

    /** Takes one from the count, waiting while it is 0. */
    public void acquire() {
        await(acquirers, -1);
    }

    /**
     * {@link #acquire()} waiting at most {@code timeout}; false when it passed first.
     *
     * @param timeout how long to wait
     * @return whether the count was lowered
     */
    public boolean acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return await(acquirers, Waiter.timeoutNanos(timeout));
    }

    /** Adds one to the count, waiting while it is at the limit. */
    public void release() {
        await(releasers, -1);
    }

    /**
     * {@link #release()} waiting at most {@code timeout}; false when it passed first.
     *
     * @param timeout how long to wait
     * @return whether the count was raised
     */
    public boolean release(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return await(releasers, Waiter.timeoutNanos(timeout));
    }

    private boolean await(WaitList side, long timeoutNanos) {
        boolean acquiring = side == acquirers;
        Waiter w;
        Waiter woken;
        synchronized (acquirers) {
            if (side.isEmpty() && (acquiring ? count > 0 : count < limit)) {
                woken = applyLocked(acquiring);
                if (woken != null) {
                    woken.wake();
                }
                return true;
            }
            if (timeoutNanos == 0) {
                return false;
            }
            w = new Waiter();
            side.add(w);
        }
        // Done in the same instant as the wait was abandoned: undone, within the bounds.
        return w.awaitIn(acquirers, side, timeoutNanos, this, abandoned -> undoLocked(acquiring));
    }

    /**
     * Under the lock: one acquire (or release) takes effect. A waiter of the other side that this
     * unblocks is granted at once, which undoes the change; it is returned to be woken.
     */
    private Waiter applyLocked(boolean acquiring) {
        WaitList other = acquiring ? releasers : acquirers;
        Waiter w = other.poll();
        if (w != null) {
            w.grant(null);   // count - 1 + 1 (or + 1 - 1): unchanged
            return w;
        }
        count += acquiring ? -1 : 1;
        return null;
    }

    /**
     * Under the lock: takes back a granted acquire (or release) whose waiter was abandoned. The
     * freed unit goes to a waiter of the same side first (as a semaphore passes a permit on), else
     * back to the count — unless that would leave [0, limit], in which case the granted operation
     * stands (the other side already returned, so it cannot be undone without breaking a bound).
     */
    private Waiter undoLocked(boolean acquiring) {
        WaitList same = acquiring ? acquirers : releasers;
        Waiter w = same.poll();
        if (w != null) {
            w.grant(null);
            return w;
        }
        if (acquiring && count < limit) {
            count++;
        } else if (!acquiring && count > 0) {
            count--;
        }
        return null;
    }

    /**
     * The count.
     *
     * @return the count now, from 0 to {@link #limit()}
     */
    public int count() {
        synchronized (acquirers) {
            return count;
        }
    }

    /**
     * The limit.
     *
     * @return the most the count can reach
     */
    public int limit() {
        return limit;
    }

    /**
     * Eventlet's {@code balance}: the count, minus the waiting acquirers, plus the waiting
     * releasers.
     *
     * @return the count less the waiting acquirers plus the waiting releasers
     */
    public int balance() {
        synchronized (acquirers) {
            return count - acquirers.size() + releasers.size();
        }
    }

    /**
     * True when an {@link #acquire()} would wait.
     *
     * @return whether the count is 0
     */
    public boolean locked() {
        synchronized (acquirers) {
            return count <= 0 || !acquirers.isEmpty();
        }
    }

    @Override
    public String toString() {
        synchronized (acquirers) {
            return "CappedSemaphore[" + count + " of " + limit + ", " + acquirers.size() + " acquiring, " + releasers.size() + " releasing]";
        }
    }
}
