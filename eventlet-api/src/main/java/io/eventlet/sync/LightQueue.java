package io.eventlet.sync;


import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A queue between green threads (and plain threads): eventlet's {@code queue.LightQueue}, the
 * base of {@link Queue}, {@link PriorityQueue} and {@link LifoQueue}.
 *
 * {@snippet :
 * LightQueue<String> q = new LightQueue<>(100);      // at most 100 items; new LightQueue<>() has no bound
 * Eventlet.spawn(() -> { q.put("work"); return null; });
 * String item = q.get();                              // waits for an item
 * String maybe = q.poll(Duration.ofMillis(50));       // null when none came in time
 * }
 *
 * <h2>Capacity</h2>
 * Unbounded by default. With a {@code maxSize}, {@link #put} waits while the queue is full. With
 * {@code maxSize} 0 the queue is a channel (eventlet's {@code Queue(0)}): a {@code put} returns only
 * once a {@code get} has taken its item. {@link #resize} never drops items; growing it lets waiting
 * putters in at once.
 *
 * <h2>Waiting</h2>
 * Getters and putters are each served first come, first served; an item is handed straight to a
 * waiting getter, which runs when the putter next yields. A {@code get} ended by a
 * {@link io.eventlet.Timeout}, a kill or (for a plain thread) an interrupt consumes nothing: an item handed to
 * it in the same instant goes back to the head of the queue. Items may not be null, so the
 * non-waiting and timed {@code poll} return null for "nothing".
 *
 * <h2>Threading</h2>
 * Thread-safe: green threads of any hub and plain threads may share a queue. A green caller
 * suspends, a plain one blocks. On one hub an operation costs a lock that is never contended and a
 * few field writes.
 *
 * @param <T> the item type
 */
public class LightQueue<T> {
    /** The {@link #maxSize()} of an unbounded queue. */
    public static final int UNBOUNDED = Integer.MAX_VALUE;

    final WaitList getters = new WaitList();   // also the lock
    private final WaitList putters = new WaitList();
    private final Store<T> store;
    private int maxSize;

    /** An unbounded queue. */
    public LightQueue() {
        this(UNBOUNDED);
    }

    /**
     * A queue of at most {@code maxSize} items.
     *
     * @param maxSize the most items it holds; 0 for a channel; {@link #UNBOUNDED} for no bound
     * @throws IllegalArgumentException when negative
     */
    public LightQueue(int maxSize) {
        this(maxSize, new Fifo<>());
    }

    LightQueue(int maxSize, Store<T> store) {
        checkSize(maxSize);
        this.maxSize = maxSize;
        this.store = store;
    }

    private static void checkSize(int maxSize) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("maxSize must be at least 0 (0: a channel), got " + maxSize);
        }
    }

    // ---- putting ----------------------------------------------------------------------------

    /**
     * Adds {@code item}, waiting while the queue is full (on a channel: until a getter takes it).
     *
     * @param item the item to add; null is allowed
     */
    public void put(T item) {
        put(item, -1);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout} for room.
     *
     * @param item the item to add; null is allowed
     * @param timeout how long to wait for room; {@link Duration#ZERO} not at all
     * @throws QueueFullException when the timeout passed first (eventlet's {@code Full})
     */
    public void put(T item, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (!put(item, Waiter.timeoutNanos(timeout))) {
            throw new QueueFullException("queue full: no room for " + item + " within " + timeout);
        }
    }

    /**
     * Adds {@code item} if there is room now (on a channel: if a getter waits); false otherwise.
     *
     * @param item the item to add; null is allowed
     * @return whether it was added
     */
    public boolean offer(T item) {
        return put(item, 0);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout}; false when it passed first.
     *
     * @param item the item to add; null is allowed
     * @param timeout how long to wait for room
     * @return whether it was added
     */
    public boolean offer(T item, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return put(item, Waiter.timeoutNanos(timeout));
    }

    private boolean put(T item, long timeoutNanos) {
        Objects.requireNonNull(item, "item (queues hold no nulls)");
        Waiter w;
        synchronized (getters) {
            Waiter getter = getters.poll();
            if (getter != null) {
                // Someone waits, so nothing is queued: hand the item over.
                getter.grant(item);
                accepted();
                getter.wake();
                return true;
            }
            if (putters.isEmpty() && store.size() < maxSize) {
                store.add(item);
                accepted();
                return true;
            }
            if (timeoutNanos == 0) {
                return false;
            }
            w = new Waiter(item);
            putters.add(w);
        }
        // When granted, the item is in: the put happened anyway.
        return w.awaitIn(getters, putters, timeoutNanos, this, Waiter.NOTHING);
    }

    /** Under the lock: a put took effect (into the store, or straight to a getter), whether or not its putter waited. */
    void accepted() {
    }

    // ---- getting ----------------------------------------------------------------------------

    /**
     * Removes and returns the next item, waiting for one.
     *
     * @return the item, which may be null if a null was put
     */
    public T get() {
        return get(-1);
    }

    /**
     * Removes and returns the next item, waiting at most {@code timeout}.
     *
     * @param timeout how long to wait for an item; {@link Duration#ZERO} not at all
     * @return the item, which may be null if a null was put
     * @throws QueueEmptyException when the timeout passed first (eventlet's {@code Empty})
     */
    public T get(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        T item = get(Waiter.timeoutNanos(timeout));
        if (item == null) {
            throw new QueueEmptyException("queue empty: no item within " + timeout);
        }
        return item;
    }

    /**
     * Removes and returns the next item if there is one now (on a channel: if a putter waits); else
     * null.
     *
     * @return the item, or null when there is none (ambiguous if nulls are put: use {@link
     *     #get(Duration)})
     */
    public T poll() {
        return get(0);
    }

    /**
     * Removes and returns the next item, waiting at most {@code timeout}; null when it passed
     * first.
     *
     * @param timeout how long to wait for an item
     * @return the item, or null when the timeout passed first
     */
    public T poll(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return get(Waiter.timeoutNanos(timeout));
    }

    @SuppressWarnings("unchecked")
    private T get(long timeoutNanos) {
        Waiter w = null;
        Waiter putter;
        T item;
        synchronized (getters) {
            if (store.size() > 0) {
                item = store.remove();
                putter = admitPutterLocked();
            } else if ((putter = putters.poll()) != null) {
                // A channel (or a queue shrunk to 0): take the item straight from its putter.
                item = (T) putter.item;
                putter.grant(null);
                accepted();
            } else if (timeoutNanos == 0) {
                return null;
            } else {
                w = new Waiter();
                getters.add(w);
                item = null;
            }
            if (item != null) {
                if (putter != null) {
                    putter.wake();
                }
                return item;
            }
        }
        return w.awaitIn(getters, getters, timeoutNanos, this, this::giveBackLocked) ? (T) w.item : null;
    }

    /** Under the lock, after an item left the store: the first waiting putter's item comes in. */
    private Waiter admitPutterLocked() {
        if (store.size() >= maxSize) {
            return null;
        }
        Waiter p = putters.poll();
        if (p != null) {
            @SuppressWarnings("unchecked") T item = (T) p.item;
            store.add(item);
            p.grant(null);
            accepted();
        }
        return p;
    }

    /**
     * Under the lock: the item handed to a get that an exception ended goes to the next getter,
     * or back to the head of the queue.
     */
    @SuppressWarnings("unchecked")
    private Waiter giveBackLocked(Waiter abandoned) {
        T item = (T) abandoned.item;
        Waiter next = getters.poll();
        if (next != null) {
            next.grant(item);
        } else {
            // Back at the head; on a full queue this is one over maxSize until the next get.
            store.giveBack(item);
        }
        return next;
    }

    // ---- size -------------------------------------------------------------------------------

    /**
     * The items in the queue now (eventlet's {@code qsize()}).
     *
     * @return the number of items held
     */
    public int size() {
        synchronized (getters) {
            return store.size();
        }
    }

    /**
     * True when the queue holds no item (on a channel, always).
     *
     * @return whether {@link #size()} is 0
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * True when a {@link #put} would wait (eventlet's {@code full()}).
     *
     * @return whether the queue holds {@link #maxSize()} items or more
     */
    public boolean isFull() {
        synchronized (getters) {
            return getters.isEmpty() && store.size() >= maxSize;
        }
    }

    /**
     * The capacity: {@link #UNBOUNDED}, 0 for a channel.
     *
     * @return the most items the queue holds
     */
    public int maxSize() {
        synchronized (getters) {
            return maxSize;
        }
    }

    /**
     * Changes the capacity. Never drops items (a queue shrunk below its size keeps them, and
     * takes new ones once it has drained); growing lets waiting putters in at once.
     *
     * @param newMaxSize the new capacity: 0 for a channel, {@link #UNBOUNDED} for no bound
     */
    public void resize(int newMaxSize) {
        checkSize(newMaxSize);
        java.util.List<Waiter> woken = new java.util.ArrayList<>();
        synchronized (getters) {
            maxSize = newMaxSize;
            while (!putters.isEmpty() && store.size() < maxSize) {
                woken.add(admitPutterLocked());
            }
        }
        woken.forEach(Waiter::wake);
    }

    /**
     * How many threads wait in {@link #get} (eventlet's {@code getting()}).
     *
     * @return the number of waiting getters
     */
    public int getting() {
        synchronized (getters) {
            return getters.size();
        }
    }

    /**
     * How many threads wait in {@link #put} (eventlet's {@code putting()}).
     *
     * @return the number of waiting putters
     */
    public int putting() {
        synchronized (getters) {
            return putters.size();
        }
    }

    @Override
    public String toString() {
        synchronized (getters) {
            return getClass().getSimpleName() + "[" + store.size() + " items, maxSize "
                    + (maxSize == UNBOUNDED ? "unbounded" : maxSize) + ", " + getters.size() + " getting, " + putters.size() + " putting]";
        }
    }

    // ---- storage ----------------------------------------------------------------------------

    /** Where the items wait; the order of a queue kind. Used under the queue's lock. */
    interface Store<T> {
        void add(T item);

        T remove();

        /** Puts back an item that was removed last, so that it is removed next. */
        void giveBack(T item);

        int size();
    }

    static final class Fifo<T> implements Store<T> {
        private final ArrayDeque<T> items = new ArrayDeque<>();

        @Override
        public void add(T item) {
            items.addLast(item);
        }

        @Override
        public T remove() {
            return items.pollFirst();
        }

        @Override
        public void giveBack(T item) {
            items.addFirst(item);
        }

        @Override
        public int size() {
            return items.size();
        }
    }
}
