package io.eventlet;

import io.eventlet.internal.Greenlet;
import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import io.eventlet.sync.Semaphore;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bound on concurrency: at most {@code size} green threads spawned through the pool run at
 * once, and {@link #spawn} waits for a free slot. Eventlet's {@code GreenPool}.
 *
 * {@snippet :
 * GreenPool pool = new GreenPool(100);
 * for (String url : urls) {
 *     pool.spawnN(() -> fetch(url));
 * }
 * pool.waitAll();
 *
 * for (Page p : pool.imap(Crawler::fetch, urls)) {    // results in input order
 *     System.out.println(p);
 * }
 * }
 *
 * <p>A member of a full pool that spawns into it runs the new body inline, in itself (eventlet's
 * rule: waiting for a slot that only the caller can free would deadlock).
 *
 * <h2>Threading</h2>
 * Thread-safe. Green threads are spawned on the caller's hub (a plain caller uses the default
 * hub); one pool may serve callers on several hubs.
 */
public final class GreenPool {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(GreenPool.class);
    private final Slots slots;

    /** The pool's slots: a semaphore whose count the pool may move when it resizes. */
    private static final class Slots extends Semaphore {
        Slots(int size) {
            super(size);
        }

        void resize(int delta) {
            adjust(delta);
        }
    }
    private final Object lock = new Object();
    private int size;                                     // guarded by lock
    /** Spawned and not finished; waitAll's waiters are woken by the decrement to 0. */
    private final AtomicInteger running = new AtomicInteger();
    private final WaitList idleWaiters = new WaitList();  // guarded by lock
    /** Members are named {@code namePrefix-<n>}; null: the hub's default names. */
    private final String namePrefix;
    private final AtomicInteger spawned = new AtomicInteger();

    /** A pool of eventlet's default size, 1,000. */
    public GreenPool() {
        this(1000);
    }

    /** @throws IllegalArgumentException when {@code size} is negative */
    public GreenPool(int size) {
        this(size, null);
    }

    /**
     * A pool whose green threads are named {@code namePrefix-1}, {@code namePrefix-2}, ... in
     * spawn order, counted per pool (for logs and thread dumps; see {@link GreenThread#name()}).
     * A body run inline in a member (see the class comment) keeps the member's name.
     *
     * @param size the most green threads running at once
     * @param namePrefix the start of every member's name; null for the hub's default names
     * @throws IllegalArgumentException when {@code size} is negative
     */
    public GreenPool(int size, String namePrefix) {
        if (size < 0) {
            throw new IllegalArgumentException("pool size must be at least 0, got " + size);
        }
        this.size = size;
        this.slots = new Slots(size);
        this.namePrefix = namePrefix;
    }

    /** The next member's name, or null for the hub's default. */
    private String nextName() {
        return namePrefix == null ? null : namePrefix + "-" + spawned.incrementAndGet();
    }

    /**
     * Spawns {@code body} when a slot is free, waiting for one while the pool is full.
     *
     * @return its green thread (already finished when run inline; see the class comment)
     */
    public <T> GreenThread<T> spawn(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        GreenThread<?> me = GreenThread.current();
        if (me != null && slots.locked() && isMember(me)) {
            return GreenThread.runInline(me, body);
        }
        slots.acquire();
        GreenThread<T> g;
        try {
            Callable<T> member = () -> {
                enter();
                return body.call();
            };
            String name = nextName();
            g = name == null ? Hub.current().spawn(member) : Hub.current().spawn(name, member);
        } catch (Throwable t) {
            slots.release();
            throw t;
        }
        running.incrementAndGet();
        g.link(this::exit);
        return g;
    }

    /** {@link #spawn} without a handle; an exception of {@code body} is logged. */
    public void spawnN(Runnable body) {
        Objects.requireNonNull(body, "body");
        GreenThread<?> me = GreenThread.current();
        if (me != null && slots.locked() && isMember(me)) {
            runLogged(body);
            return;
        }
        slots.acquire();
        running.incrementAndGet();
        try {
            String name = nextName();
            if (name == null) {
                Hub.current().spawnN(new Member(body));
            } else {
                Hub.current().spawnN(name, new Member(body));
            }
        } catch (Throwable t) {
            exit(null);
            throw t;
        }
    }

    /** A spawnN body in the pool: frees its slot when it ends, or when it will never start. */
    private final class Member implements Runnable, Greenlet.NeverStarted {
        private final Runnable body;

        Member(Runnable body) {
            this.body = body;
        }

        @Override
        public void run() {
            GreenThread<?> self = enter();
            try {
                runLogged(body);
            } finally {
                exit(self);
            }
        }

        @Override
        public void neverStarted() {
            exit(null);
        }
    }

    /** Runs a spawnN body: its exception is logged, as eventlet does, except a kill or a Timeout. */
    private void runLogged(Runnable body) {
        try {
            body.run();
        } catch (GreenThreadExit | Timeout e) {
            throw e;
        } catch (Throwable t) {
            log.warn("a green thread of {} failed", this, t);
        }
    }

    private GreenThread<?> enter() {
        GreenThread<?> self = GreenThread.current();
        self.greenlet.setPool(this);
        return self;
    }

    /** A member ended (or never started): frees its slot, wakes waitAll when none is left. */
    private void exit(GreenThread<?> g) {
        if (g != null && g.greenlet.pool() == this) {
            g.greenlet.setPool(null);
        }
        slots.release();
        if (running.decrementAndGet() == 0) {
            java.util.List<Waiter> woken = null;
            synchronized (lock) {
                // waitAll checks the count and queues under this lock, so none is missed.
                for (Waiter w; (w = idleWaiters.poll()) != null; ) {
                    w.grant(null);
                    if (woken == null) {
                        woken = new java.util.ArrayList<>();
                    }
                    woken.add(w);
                }
            }
            if (woken != null) {
                woken.forEach(Waiter::wake);
            }
        }
    }

    private boolean isMember(GreenThread<?> g) {
        return g.greenlet.pool() == this;
    }

    /**
     * Waits until every green thread of the pool has finished.
     *
     * @throws IllegalStateException when called by a member, which would wait for itself for ever
     */
    public void waitAll() {
        GreenThread<?> me = GreenThread.current();
        Waiter w;
        if (me != null && isMember(me)) {
            throw new IllegalStateException("waitAll() called from " + me + ", a green thread of this pool: it would wait for itself for ever");
        }
        synchronized (lock) {
            if (running.get() == 0) {
                return;
            }
            w = new Waiter();
            idleWaiters.add(w);
        }
        w.awaitIn(lock, idleWaiters, -1, this, Waiter.NOTHING);
    }

    /** Green threads of the pool running now (eventlet's {@code running()}). */
    public int running() {
        return running.get();
    }

    /** Callers waiting in {@link #spawn} for a slot (eventlet's {@code waiting()}). */
    public int waiting() {
        return slots.waiting();
    }

    /** Free slots (eventlet's {@code free()}); negative after shrinking below what runs. */
    public int free() {
        return slots.counter();
    }

    /** The pool's size. */
    public int size() {
        synchronized (lock) {
            return size;
        }
    }

    /**
     * Changes the size. Growing lets waiting spawners in at once; shrinking lets running green
     * threads finish, and new ones start only once fewer than the new size run.
     */
    public void resize(int newSize) {
        if (newSize < 0) {
            throw new IllegalArgumentException("pool size must be at least 0, got " + newSize);
        }
        int delta;
        synchronized (lock) {
            delta = newSize - size;
            size = newSize;
        }
        slots.resize(delta);
    }

    // ---- mapping ----------------------------------------------------------------------------

    /** A function that may throw, for {@link #imap}. */
    @FunctionalInterface
    public interface Function<A, R> {
        R apply(A argument) throws Exception;
    }

    /** A two-argument function that may throw, for {@link #starmap}. */
    @FunctionalInterface
    public interface BiFunction<A, B, R> {
        R apply(A first, B second) throws Exception;
    }

    /**
     * Applies {@code fn} to every input concurrently (at most the pool's size at once) and yields
     * the results in input order (eventlet's {@code imap}). Memory stays bounded: inputs are taken
     * only as results are consumed. An exception of {@code fn} is thrown by {@code next()} at its
     * position (as it is when unchecked, in {@link java.util.concurrent.CompletionException} when
     * checked), and iteration can go on past it. Close the pile to stop early.
     */
    public <A, R> GreenPile<R> imap(Function<? super A, ? extends R> fn, Iterable<? extends A> inputs) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(inputs, "inputs");
        return GreenPile.mapping(this, inputs.iterator(), a -> () -> fn.apply(a));
    }

    /**
     * Eventlet's {@code starmap}: {@link #imap} over pairs of arguments, for example the entries of
     * a map, or two lists zipped.
     */
    public <A, B, R> GreenPile<R> starmap(BiFunction<? super A, ? super B, ? extends R> fn,
                                          Iterable<? extends Map.Entry<? extends A, ? extends B>> pairs) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(pairs, "pairs");
        Iterator<? extends Map.Entry<? extends A, ? extends B>> it = pairs.iterator();
        return GreenPile.mapping(this, it, e -> () -> fn.apply(e.getKey(), e.getValue()));
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "GreenPool[size " + size + ", " + running.get() + " running, " + slots.waiting() + " waiting]";
        }
    }
}
