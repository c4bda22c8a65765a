package io.eventlet.pool;


import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * A pool of reusable items — connections, parsers, buffers — made on demand up to a maximum:
 * eventlet's {@code pools.Pool}.
 *
 * {@snippet :
 * Pool<Connection> conns = new Pool<>(0, 10, () -> Database.connect(url));
 * try (Pool.Lease<Connection> lease = conns.item()) {     // get(); put back when the block ends
 *     lease.get().query("select 1");
 * }
 * }
 *
 * <p>{@link #get()} returns a free item, else makes one with the factory while fewer than
 * {@code maxSize} exist, else waits for one to be {@link #put} back; waiters are served first
 * come, first served. A factory that throws makes {@code get} throw and leaves room for the next
 * try. A get ended by a {@link io.eventlet.Timeout} or a kill takes nothing: an item handed to it in the same
 * instant goes to the next waiter or back to the pool.
 *
 * <h2>Threading</h2>
 * Thread-safe; green threads of any hub and plain threads may share a pool. The factory runs in
 * the caller of {@code get}, outside the pool's lock (it may do green I/O).
 *
 * @param <T> the item type
 */
public class Pool<T> {
    /** Handed to a waiter instead of an item: room to make one of its own (after a resize). */
    private static final Object MAKE = new Object();

    private final WaitList waiters = new WaitList();   // also the lock
    private final ArrayDeque<T> free = new ArrayDeque<>();
    private final Callable<? extends T> factory;
    private final boolean orderAsStack;
    private int maxSize;
    private int currentSize;   // items made and not discarded, free or lent out

    /**
     * A pool that hands out the least recently returned item first.
     *
     * @param minSize items made at once
     * @param maxSize the most items there can be
     * @param factory makes an item; called in the caller of {@link #get()}
     */
    public Pool(int minSize, int maxSize, Callable<? extends T> factory) {
        this(minSize, maxSize, false, factory);
    }

    /**
     * A pool that makes {@code minSize} items now and up to {@code maxSize} in all, on demand
     * (eventlet's {@code pools.Pool}).
     *
     * @param minSize how many items to make at once
     * @param maxSize the most items there can be, free or lent out
     * @param factory makes an item; its exception reaches the {@link #get()} that needed the item
     * @param orderAsStack hand out the most recently returned item first (eventlet's
     *     {@code order_as_stack}), to keep a small hot set
     * @throws IllegalArgumentException unless {@code 0 <= minSize <= maxSize}
     */
    public Pool(int minSize, int maxSize, boolean orderAsStack, Callable<? extends T> factory) {
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("need 0 <= minSize <= maxSize, got minSize " + minSize + ", maxSize " + maxSize);
        }
        this.factory = Objects.requireNonNull(factory, "factory");
        this.maxSize = maxSize;
        this.orderAsStack = orderAsStack;
        for (int i = 0; i < minSize; i++) {
            free.add(make());
            currentSize++;
        }
    }

    /**
     * Takes an item: a free one, a new one, or one put back later.
     *
     * @return the item; {@link #put} it back when done
     */
    public T get() {
        return get(-1);
    }

    /**
     * {@link #get()} waiting at most {@code timeout} for an item to be put back.
     *
     * @param timeout how long to wait when no item is free and the pool is full
     * @return null when the timeout passed first
     */
    public T get(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return get(Waiter.timeoutNanos(timeout));
    }

    @SuppressWarnings("unchecked")
    private T get(long timeoutNanos) {
        Waiter w;
        synchronized (waiters) {
            if (!free.isEmpty()) {
                return orderAsStack ? free.pollLast() : free.pollFirst();
            }
            if (currentSize < maxSize) {
                currentSize++;
                w = null;
            } else if (timeoutNanos == 0) {
                return null;
            } else {
                w = new Waiter();
                waiters.add(w);
            }
        }
        if (w == null) {
            return makeCounted();
        }
        if (!w.awaitIn(waiters, waiters, timeoutNanos, this, this::giveBackLocked)) {
            return null;
        }
        return w.item == MAKE ? makeCounted() : (T) w.item;
    }

    /** Makes an item for which room is already counted; gives the room back when the factory fails. */
    private T makeCounted() {
        try {
            return make();
        } catch (Throwable t) {
            Waiter next;
            synchronized (waiters) {
                currentSize--;
                next = roomForWaiterLocked();
            }
            if (next != null) {
                next.wake();
            }
            throw t;
        }
    }

    private T make() {
        T item;
        try {
            item = factory.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new CompletionException("the pool's factory failed: " + e, e);
        }
        return Objects.requireNonNull(item, "the pool's factory returned null");
    }

    /** Under the lock: if there is room to make an item, the first waiter gets it. */
    private Waiter roomForWaiterLocked() {
        if (currentSize < maxSize && !waiters.isEmpty()) {
            currentSize++;
            Waiter w = waiters.poll();
            w.grant(MAKE);
            return w;
        }
        return null;
    }

    /**
     * Under the lock: what a get that an exception ended was granted goes on — room to make an
     * item to the next waiter, an item as {@link #put} would place it.
     */
    @SuppressWarnings("unchecked")
    private Waiter giveBackLocked(Waiter abandoned) {
        if (abandoned.item == MAKE) {
            currentSize--;
            return roomForWaiterLocked();
        }
        return putLocked((T) abandoned.item);
    }

    /**
     * Returns an item: to the first waiter, else to the free items; discarded when the pool was
     * shrunk below the items that exist.
     *
     * @param item an item that {@link #get()} handed out
     */
    public void put(T item) {
        Objects.requireNonNull(item, "item");
        Waiter w;
        synchronized (waiters) {
            w = putLocked(item);
        }
        if (w != null) {
            w.wake();
        }
    }

    /** Under the lock: {@link #put}; returns the waiter handed the item, to wake, or null. */
    private Waiter putLocked(T item) {
        if (currentSize > maxSize) {
            currentSize--;
            return null;
        }
        Waiter w = waiters.poll();
        if (w == null) {
            free.addLast(item);
            return null;
        }
        w.grant(item);
        return w;
    }

    /**
     * Takes an item as a resource that puts it back when a try-with-resources block ends.
     *
     * @return the lease; its {@link Lease#get()} is the item
     */
    public Lease<T> item() {
        return new Lease<>(this, get());
    }

    /**
     * An item lent by {@link #item()}; {@link #close()} puts it back, once.
     *
     * @param <T> the item type
     */
    public static final class Lease<T> implements AutoCloseable {
        private final Pool<T> pool;
        private final T item;
        private boolean returned;

        private Lease(Pool<T> pool, T item) {
            this.pool = pool;
            this.item = item;
        }

        /**
         * The item lent.
         *
         * @return the item, also after the lease is closed (do not use it then)
         */
        public T get() {
            return item;
        }

        @Override
        public void close() {
            if (!returned) {
                returned = true;
                pool.put(item);
            }
        }
    }

    /**
     * Changes the most items there can be. Growing lets waiters make items at once; shrinking
     * discards items as they are put back until the pool fits (free items are dropped at once).
     *
     * @param newMaxSize the new most items there can be
     */
    public void resize(int newMaxSize) {
        if (newMaxSize < 0) {
            throw new IllegalArgumentException("maxSize must be at least 0, got " + newMaxSize);
        }
        java.util.List<Waiter> woken = new java.util.ArrayList<>();
        synchronized (waiters) {
            maxSize = newMaxSize;
            while (currentSize > maxSize && !free.isEmpty()) {
                free.pollFirst();
                currentSize--;
            }
            for (Waiter w; (w = roomForWaiterLocked()) != null; ) {
                woken.add(w);
            }
        }
        woken.forEach(Waiter::wake);
    }

    /**
     * Items a {@link #get()} could have without waiting: free ones plus room to make more.
     *
     * @return the free items plus the items that may still be made
     */
    public int free() {
        synchronized (waiters) {
            return free.size() + Math.max(0, maxSize - currentSize);
        }
    }

    /**
     * Threads waiting in {@link #get()}.
     *
     * @return the number of waiting getters
     */
    public int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    /**
     * Items that exist: free or lent out.
     *
     * @return the number of items made and not discarded
     */
    public int currentSize() {
        synchronized (waiters) {
            return currentSize;
        }
    }

    /**
     * The most items there can be.
     *
     * @return the most items there can be
     */
    public int maxSize() {
        synchronized (waiters) {
            return maxSize;
        }
    }

    @Override
    public String toString() {
        synchronized (waiters) {
            return "Pool[" + currentSize + " of " + maxSize + ", " + free.size() + " free, " + waiters.size() + " waiting]";
        }
    }
}
