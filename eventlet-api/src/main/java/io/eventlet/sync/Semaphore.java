package io.eventlet.sync;


import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import java.time.Duration;
import java.util.Objects;

/**
 * A counting semaphore for green threads: eventlet's {@code semaphore.Semaphore}.
 *
 * {@snippet :
 * Semaphore slots = new Semaphore(10);
 * try (Semaphore.Permit p = slots.permit()) {    // acquire(); released when the block ends
 *     fetch(url);
 * }
 * if (slots.acquire(Duration.ofSeconds(1))) { ... slots.release(); }
 * }
 *
 * <p>Fair: waiters are served first come, first served, and a newcomer queues behind existing
 * waiters even when a permit is free. {@link #release()} hands its permit straight to the first
 * waiter (which runs when the releaser next yields). A wait ended by a {@link io.eventlet.Timeout}, a kill or
 * (for a plain thread) an interrupt takes no permit: one granted in the same instant is passed on.
 *
 * <h2>Threading</h2>
 * Thread-safe: green threads of any hub and plain threads may share a semaphore. A green caller
 * suspends, a plain one blocks. On one hub an operation costs a lock that is never contended and
 * a few field writes.
 */
public class Semaphore {
    final WaitList waiters = new WaitList();   // also the lock
    int counter;                               // guarded by waiters

    /**
     * A semaphore with {@code value} free permits.
     *
     * @param value the initial number of permits
     * @throws IllegalArgumentException when negative
     */
    public Semaphore(int value) {
        if (value < 0) {
            throw new IllegalArgumentException("a semaphore's initial value must be at least 0, got " + value);
        }
        this.counter = value;
    }

    /** Takes a permit, waiting as long as it takes. */
    public void acquire() {
        acquire(-1);
    }

    /**
     * Takes a permit, waiting at most {@code timeout} ({@link Duration#ZERO}: not at all).
     *
     * @param timeout how long to wait for a permit
     * @return false when the timeout passed first
     */
    public boolean acquire(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return acquire(Waiter.timeoutNanos(timeout));
    }

    /**
     * Takes a permit if one is free and nobody waits (eventlet's {@code acquire(blocking=False)}).
     *
     * @return whether a permit was taken
     */
    public boolean tryAcquire() {
        return acquire(0);
    }

    boolean acquire(long timeoutNanos) {
        Waiter w;
        synchronized (waiters) {
            if (counter > 0 && waiters.isEmpty()) {
                counter--;
                return true;
            }
            if (timeoutNanos == 0) {
                return false;
            }
            w = new Waiter();
            waiters.add(w);
        }
        // A permit granted to a wait that was abandoned goes on to the next waiter.
        return w.awaitIn(waiters, waiters, timeoutNanos, this, abandoned -> releaseLocked());
    }

    /** Returns a permit: to the first waiter if any, else to the count. */
    public void release() {
        Waiter next;
        synchronized (waiters) {
            checkRelease();
            next = releaseLocked();
        }
        if (next != null) {
            next.wake();
        }
    }

    /** Called under the lock before a release; a bounded semaphore refuses one above its bound. */
    void checkRelease() {
    }

    /**
     * Under the lock: the permit goes to the first waiter (returned, to be woken), or to the count
     * — first when the count is below zero after {@link #adjust}, to pay that debt.
     */
    final Waiter releaseLocked() {
        if (counter >= 0) {
            Waiter w = waiters.poll();
            if (w != null) {
                w.grant(null);
                return w;
            }
        }
        counter++;
        return null;
    }

    /**
     * Takes a permit and returns it as a resource: {@code try (var p = semaphore.permit()) {...}}
     * releases it once when the block ends.
     *
     * @return the permit; closing it releases it
     */
    public Permit permit() {
        acquire();
        return new Permit(this);
    }

    /** A permit held by a try-with-resources block; {@link #close()} releases it, once. */
    public static final class Permit implements AutoCloseable {
        private final Semaphore semaphore;
        private boolean released;

        private Permit(Semaphore semaphore) {
            this.semaphore = semaphore;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                semaphore.release();
            }
        }
    }

    /**
     * The free permits (eventlet's {@code counter}).
     *
     * @return the number of free permits; negative after {@link #adjust} removed more than were
     *     free
     */
    public int counter() {
        synchronized (waiters) {
            return counter;
        }
    }

    /**
     * Eventlet's {@code balance}: the free permits when positive, minus the number of waiters when
     * negative.
     *
     * @return the free permits, or minus the waiters
     */
    public int balance() {
        synchronized (waiters) {
            return counter - waiters.size();
        }
    }

    /**
     * True when an {@link #acquire()} would wait (eventlet's {@code locked()}).
     *
     * @return whether no permit is free
     */
    public boolean locked() {
        synchronized (waiters) {
            return counter <= 0 || !waiters.isEmpty();
        }
    }

    /**
     * How many threads wait to acquire.
     *
     * @return the number of waiting acquirers
     */
    public int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    /**
     * Adds {@code delta} permits (removes them when negative; the count may go below zero, so
     * later releases pay the debt first). Added permits go to waiters first. What a pool that
     * resizes needs (eventlet's {@code GreenPool.resize} moves its semaphore's counter so); for
     * subclasses only, like {@link java.util.concurrent.Semaphore}'s {@code reducePermits}, since
     * it bypasses a bound such as {@link BoundedSemaphore}'s.
     *
     * @param delta how many permits to add, or to remove when negative
     */
    protected void adjust(int delta) {
        java.util.List<Waiter> woken = new java.util.ArrayList<>();
        synchronized (waiters) {
            counter += delta;
            while (counter > 0 && !waiters.isEmpty()) {
                counter--;
                Waiter w = waiters.poll();
                w.grant(null);
                woken.add(w);
            }
        }
        woken.forEach(Waiter::wake);
    }

    @Override
    public String toString() {
        synchronized (waiters) {
            return getClass().getSimpleName() + "[" + counter + " free, " + waiters.size() + " waiting]";
        }
    }
}
