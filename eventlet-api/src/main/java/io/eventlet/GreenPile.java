package io.eventlet;

import io.eventlet.internal.Greenlet;
import io.eventlet.sync.LightQueue;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * Green threads spawned into a {@link GreenPool} whose results are read back in spawn order:
 * eventlet's {@code GreenPile}. Also what {@link GreenPool#imap} returns.
 *
 * {@snippet :
 * GreenPile<String> pile = new GreenPile<>(new GreenPool(10));
 * for (String host : hosts) {
 *     pile.spawn(() -> lookup(host));
 * }
 * for (String address : pile) {          // in the order spawned; waits for each
 *     System.out.println(address);
 * }
 * }
 *
 * <p>{@link #next()} throws the exception of a body that failed (unchanged when unchecked, in
 * {@link CompletionException} when checked) and iteration goes on with the next result. Two
 * piles may share a pool. The pile is its own (single-use) iterator.
 *
 * <h2>Threading</h2>
 * Thread-safe: green threads of any hub or plain threads may spawn into a pile and read it.
 *
 * @param <T> the result type
 */
public final class GreenPile<T> implements Iterator<T>, Iterable<T>, AutoCloseable {
    private static final Object END = new Object();

    private final GreenPool pool;
    /** GreenThreads in spawn order; for a mapping pile also a {@link Failure} or {@link #END}. */
    private final LightQueue<Object> results;
    private final boolean mapping;
    private GreenThread<?> feeder;     // a mapping pile's spawner
    private int counter;               // guarded by this: spawned and not yet read (plain pile)
    /** Readers of an imap pile take one entry at a time (hasNext may wait for it). */
    private final java.util.concurrent.locks.ReentrantLock readLock = new java.util.concurrent.locks.ReentrantLock();
    private Object next;               // guarded by this: taken by hasNext, not yet returned
    private boolean ended;             // guarded by this: a mapping pile read its END

    /** A failure of the inputs of a mapping pile, thrown by {@code next()} at its position. */
    private record Failure(Throwable exception) {
    }

    /** A pile over a pool of eventlet's default size, 1,000. */
    public GreenPile() {
        this(new GreenPool());
    }

    /**
     * A pile over a new pool of {@code size}.
     *
     * @param size the number of green threads that may run at once
     */
    public GreenPile(int size) {
        this(new GreenPool(size));
    }

    /**
     * A pile over {@code pool}, which other piles and callers may share.
     *
     * @param pool the pool to spawn into
     */
    public GreenPile(GreenPool pool) {
        this(Objects.requireNonNull(pool, "pool"), new LightQueue<>(), false);
    }

    private GreenPile(GreenPool pool, LightQueue<Object> results, boolean mapping) {
        this.pool = pool;
        this.results = results;
        this.mapping = mapping;
    }

    /**
     * A pile fed by its own green thread from {@code inputs}: at most the pool's size of results
     * wait to be read, so memory stays bounded however long the input.
     */
    static <A, R> GreenPile<R> mapping(GreenPool pool, Iterator<? extends A> inputs,
                                       java.util.function.Function<A, Callable<R>> task) {
        GreenPile<R> pile = new GreenPile<>(pool, new LightQueue<>(Math.max(1, pool.size())), true);
        pile.feeder = Hub.current().spawn(() -> {
            try {
                while (inputs.hasNext()) {
                    GreenThread<R> g = pool.spawn(task.apply(inputs.next()));
                    try {
                        pile.results.put(g);
                    } catch (Throwable t) {
                        g.kill();
                        throw t;
                    }
                }
            } catch (GreenThreadExit | Timeout e) {
                throw e;   // closed: nobody reads on
            } catch (Throwable t) {
                pile.results.put(new Failure(t));
            }
            pile.results.put(END);
            return null;
        });
        return pile;
    }

    /**
     * Spawns {@code body} into the pool (waiting for a slot while it is full); its result comes
     * out of this pile after those spawned before it. It counts in {@link #hasNext()} once it is
     * spawned; if the wait for a slot ends with an exception ({@link Timeout}, kill) nothing is
     * added.
     *
     * @param body what the green thread runs; its result, or its exception, comes out of {@link
     *     #next()}
     * @return the green thread
     * @throws IllegalStateException on a pile made by {@link GreenPool#imap}, which feeds itself
     */
    public GreenThread<T> spawn(Callable<? extends T> body) {
        Objects.requireNonNull(body, "body");
        if (mapping) {
            throw new IllegalStateException("an imap/starmap pile is fed by its inputs; spawn into a new GreenPile");
        }
        // Counted only once spawned, so a reader never waits for a spawn that then fails (a
        // Timeout or kill while the pool is full): such a spawn adds nothing.
        GreenThread<T> g = pool.spawn(body::call);
        synchronized (this) {
            counter++;
            results.put(g);   // unbounded: never waits
        }
        return g;
    }

    /**
     * True while a result is still to come: for a spawned pile, when spawned results are unread;
     * for an imap pile, until its inputs are exhausted (which may wait for the next result).
     */
    @Override
    public boolean hasNext() {
        if (!mapping) {
            synchronized (this) {
                return counter > 0;
            }
        }
        readLock.lock();
        try {
            return mappedHasNext();
        } finally {
            readLock.unlock();
        }
    }

    /** Under readLock: one reader at a time takes entries of an imap pile. */
    private boolean mappedHasNext() {
        synchronized (this) {
            if (next != null) {
                return true;
            }
            if (ended) {
                return false;
            }
        }
        Object e = results.get();
        synchronized (this) {
            if (e == END) {
                ended = true;
                return false;
            }
            next = e;
            return true;
        }
    }

    /**
     * The next result in spawn order, waiting for it.
     *
     * @throws NoSuchElementException when none is to come
     */
    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        Object e;
        if (mapping) {
            readLock.lock();
            try {
                if (!mappedHasNext()) {
                    throw new NoSuchElementException("the inputs are exhausted");
                }
                synchronized (this) {
                    e = next;
                    next = null;
                }
            } finally {
                readLock.unlock();
            }
        } else {
            synchronized (this) {
                if (counter == 0) {
                    throw new NoSuchElementException("no green thread spawned into this pile is left unread");
                }
                counter--;
            }
            e = results.get();
        }
        if (e instanceof Failure f) {
            throw Greenlet.rethrown(f.exception);
        }
        return ((GreenThread<T>) e).join();
    }

    /** This pile, as its own single-use iterator, so it can be used in a for-each loop. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /**
     * The pool the pile spawns into.
     *
     * @return the pool given to the constructor, or the pile's own
     */
    public GreenPool pool() {
        return pool;
    }

    /**
     * Stops an imap pile's feeding (green threads already spawned finish in the pool; their
     * results are dropped). Nothing to do for a spawned pile.
     */
    @Override
    public void close() {
        GreenThread<?> f = feeder;
        if (f != null && !f.isDone()) {
            f.kill();
        }
    }

    @Override
    public String toString() {
        synchronized (this) {
            return "GreenPile[" + (mapping ? "imap" : counter + " unread") + ", " + pool + "]";
        }
    }
}
