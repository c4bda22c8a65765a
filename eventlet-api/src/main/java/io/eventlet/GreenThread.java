package io.eventlet;

import io.eventlet.internal.Greenlet;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * A green thread: a virtual thread scheduled by its {@link Hub}, with eventlet's
 * {@code GreenThread} semantics. Made by {@link Eventlet#spawn}, {@link Eventlet#spawnAfter} or
 * {@link Hub#spawn}; it starts only when its spawner yields.
 *
 * {@snippet :
 * GreenThread<Integer> g = Eventlet.spawn(() -> 6 * 7);
 * g.link(done -> System.out.println("finished"));
 * int answer = g.join();            // 42; an exception of the body is rethrown here
 * }
 *
 * <h2>Threading</h2>
 * All methods are thread-safe. {@link #join()} suspends a green caller (any hub) and blocks a
 * plain caller. {@link #kill()} from a green thread on the same hub yields to the victim, so the
 * victim's {@code catch} and {@code finally} blocks have run up to their next blocking point when
 * it returns; from another hub or a plain thread it returns once the exception is posted (use
 * {@link #join()} to wait for the end).
 *
 * @param <T> the result type
 */
public final class GreenThread<T> {
    /** The runtime's side of this thread: its state, outcome and suspend path. */
    final Greenlet greenlet;

    GreenThread(Greenlet greenlet) {
        this.greenlet = greenlet;
        greenlet.setHandle(this);
    }

    /**
     * Runs {@code body} here, in the calling green thread, and returns a finished green thread
     * that holds its outcome: what a full {@link GreenPool} does when one of its own members
     * spawns (waiting for a slot that only the caller can free would deadlock). A kill or a
     * timeout aimed at the caller passes through.
     */
    static <T> GreenThread<T> runInline(GreenThread<?> caller, Callable<T> body) {
        return new GreenThread<>(Greenlet.runInline(caller.greenlet, body));
    }

    /** The green thread the caller runs in, or null when the caller is not a green thread. */
    public static GreenThread<?> current() {
        Greenlet g = Greenlet.current();
        return g == null ? null : (GreenThread<?>) g.handle();
    }

    /** The hub this green thread runs on. */
    public Hub hub() {
        return (Hub) greenlet.loop().facade();
    }

    /** True once the body has returned or thrown (or the thread was killed before it started). */
    public boolean isDone() {
        return greenlet.isDone();
    }

    /** True once the body has begun (eventlet: the greenlet is "started"). */
    public boolean isStarted() {
        return greenlet.isStarted();
    }

    /**
     * Waits for the end and returns the result. An unchecked exception or error of the body is
     * rethrown as it is; a checked exception is rethrown wrapped in {@link CompletionException}.
     * A thread killed before it started throws {@link GreenThreadExit}.
     *
     * @throws IllegalStateException when a green thread joins itself, or when called from a
     *     hub's own thread (a timer callback)
     */
    @SuppressWarnings("unchecked")
    public T join() {
        return (T) greenlet.join();
    }

    /**
     * Raises {@link GreenThreadExit} in this thread at its blocking point (see the class comment
     * for when this returns). Killing a thread that has not started means its body never runs;
     * killing a finished thread does nothing. A green thread killing itself throws at once.
     */
    public void kill() {
        greenlet.kill(new GreenThreadExit());
    }

    /**
     * Like {@link #kill()} but raises {@code exception} instead (eventlet's
     * {@code kill(g, *throw_args)}).
     */
    public void kill(Throwable exception) {
        greenlet.kill(exception);
    }

    /**
     * Kills this thread only if it has not started its body; returns whether it did (eventlet's
     * {@code GreenThread.cancel}).
     */
    public boolean cancel() {
        return greenlet.cancel(GreenThreadExit::new);
    }

    /**
     * Calls {@code callback} with this thread when it ends, in the ending green thread, after
     * {@link #join()} waiters are released. If it has already ended, calls it at once in the
     * caller. A link that throws is logged and the others still run.
     */
    @SuppressWarnings("unchecked")
    public void link(Consumer<? super GreenThread<T>> callback) {
        if (callback == null) {
            throw new NullPointerException("callback");
        }
        // The runtime calls every link with this handle: the cast only forgets the type.
        greenlet.link((Consumer<Object>) (Consumer<?>) callback);
    }

    /** Removes a link added with {@link #link}; true if it was there (compared by identity). */
    public boolean unlink(Consumer<? super GreenThread<T>> callback) {
        return greenlet.unlink(callback);
    }

    /**
     * This green thread's name, which is its virtual thread's name too (what
     * {@code Thread.currentThread().getName()}, loggers, thread dumps and JFR show): the name
     * given to {@link Hub#spawn(String, Callable)} and the like, else {@code <hub name>-green-<n>},
     * numbered per hub from 1. A body that a full {@link GreenPool} ran inline in its caller
     * carries its caller's name.
     *
     * @return the name
     */
    public String name() {
        Thread t = greenlet.thread();
        return t == null ? "" : t.getName();
    }

    /** The underlying virtual thread (for thread dumps and debugging). */
    public Thread thread() {
        return greenlet.thread();
    }

    @Override
    public String toString() {
        Thread t = greenlet.thread();
        return "GreenThread[" + (t == null ? "?" : t.getName() + " #" + t.threadId()) + ", " + greenlet.stateName() + ", " + greenlet.loop().name() + "]";
    }
}
