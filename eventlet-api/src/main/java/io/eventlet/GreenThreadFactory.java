package io.eventlet;

import io.eventlet.internal.Greenlet;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link ThreadFactory} whose threads are green threads of one hub: what
 * {@code java.util.concurrent} code that takes a factory needs to run its threads on a hub, such
 * as a {@code StructuredTaskScope} configured {@code withThreadFactory}. Made by
 * {@link Hub#threadFactory()}, {@link Hub#threadFactory(String)} or {@link Eventlet#threadFactory()}.
 *
 * {@snippet :
 * ThreadFactory green = Hub.current().threadFactory("worker");
 * Thread t = green.newThread(() -> Eventlet.sleep(Duration.ofMillis(10)));   // worker-1, unstarted
 * t.start();                                      // from any thread: it runs on the hub
 * t.join();
 * }
 *
 * <p>A thread it makes is an unstarted virtual thread scheduled by the hub; once started it is a
 * green thread like a spawned one: listed by {@link Hub#greenThreads()} (from when its body
 * begins), killable and joinable through that {@link GreenThread}, killed when the hub closes.
 * An exception its body ends with goes to the thread's
 * {@link Thread.UncaughtExceptionHandler}, as a plain thread's does, except a kill
 * ({@link GreenThreadExit}), which is how green threads are stopped. Since the JDK stops the
 * threads it manages by interrupting them (a {@code StructuredTaskScope} cancelling its subtasks),
 * an interrupt ends an eventlet wait of such a thread with {@link GreenThreadExit}, and a JDK
 * blocking call as interruption does. It inherits no inheritable thread-locals.
 *
 * <h2>Threading</h2>
 * Thread-safe. {@link #newThread} and the thread's {@code start()} may be called from any thread,
 * green or plain, on any hub. A thread started after its hub has stopped never runs: start
 * threads of a hub that may be closing only while it is known to be open.
 */
public final class GreenThreadFactory implements ThreadFactory {
    private final Hub hub;
    private final String prefix;
    private final AtomicLong count = new AtomicLong();

    GreenThreadFactory(Hub hub, String prefix) {
        this.hub = hub;
        this.prefix = prefix;
    }

    /**
     * An unstarted green thread of this factory's hub that runs {@code r} once started.
     *
     * @param r the body of the thread
     * @return the unstarted thread, named {@code prefix-N} when the factory has a prefix
     *     (N counting from 1, as hubs and spawned green threads are numbered), else as spawned green threads are; or null when the hub is closed, which is how a
     *     {@link ThreadFactory} refuses (a {@code StructuredTaskScope} fork then throws
     *     {@link java.util.concurrent.RejectedExecutionException})
     * @throws NullPointerException when {@code r} is null
     */
    @Override
    public Thread newThread(Runnable r) {
        Objects.requireNonNull(r, "r");
        if (hub.isClosed()) {
            return null;
        }
        Greenlet g = Greenlet.forThread(hub.loop, r);
        new GreenThread<Void>(g);
        try {
            return hub.loop.unstarted(g, prefix == null ? null : prefix + "-" + count.incrementAndGet());
        } catch (IllegalStateException closed) {
            return null;
        }
    }

    /**
     * The hub whose green threads this factory makes.
     *
     * @return the hub
     */
    public Hub hub() {
        return hub;
    }

    @Override
    public String toString() {
        return "GreenThreadFactory[" + hub.name() + (prefix == null ? "" : ", " + prefix) + "]";
    }
}
