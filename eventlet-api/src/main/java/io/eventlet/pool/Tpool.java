package io.eventlet.pool;

import io.eventlet.internal.Greenlet;
import io.eventlet.internal.Wait;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Eventlet's {@code tpool}: runs work that would block a hub's carrier thread — file I/O, name
 * resolution, native calls, CPU-heavy code — on a pool of platform threads, while only the calling
 * green thread waits (its hub goes on running the others).
 *
 * {@snippet :
 * byte[] data = Tpool.execute(() -> java.nio.file.Files.readAllBytes(path));
 * }
 *
 * <p>The pool has {@code -Deventlet.threadpool.size} (or {@code EVENTLET_THREADPOOL_SIZE})
 * daemon threads, 20 by default, started on demand and retired after a minute idle. A call made
 * from a pool thread runs inline (a pool thread waiting for its own pool could deadlock).
 *
 * <h2>Threading</h2>
 * Thread-safe. A green caller suspends (a {@link io.eventlet.Timeout} or a kill ends its wait, the task goes
 * on); a plain caller blocks.
 */
public final class Tpool {
    /** The system property that sets the pool size. */
    public static final String SIZE_PROPERTY = "eventlet.threadpool.size";
    /** The environment variable that sets the pool size when the property is not set. */
    public static final String SIZE_ENVIRONMENT = "EVENTLET_THREADPOOL_SIZE";

    private Tpool() {
    }

    /**
     * Runs {@code task} on a pool thread and returns its result, or throws the exception it threw
     * (the original exception, as eventlet does).
     *
     * @param <T> the type of the task's result
     * @param task what to run on a platform thread; it may block
     * @return what the task returned
     * @throws Exception what the task threw
     */
    public static <T> T execute(Callable<T> task) throws Exception {
        Objects.requireNonNull(task, "task");
        if (Thread.currentThread() instanceof PoolThread) {
            return task.call();
        }
        Greenlet g = Wait.greenCaller("call Tpool.execute");
        CompletableFuture<T> f = new CompletableFuture<>();
        Pool.EXECUTOR.execute(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        if (g != null) {
            Thread me = g.thread();
            f.whenComplete((r, e) -> LockSupport.unpark(me));
            Wait.untilGreen(g, f::isDone, Wait.FOREVER, f);
        }
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new CompletionException(cause);
        }
    }

    /**
     * The configured number of pool threads.
     *
     * @return the most pool threads that run tasks at once
     */
    public static int size() {
        return Pool.SIZE;
    }

    static int configuredSize() {
        String v = System.getProperty(SIZE_PROPERTY);
        String source = "-D" + SIZE_PROPERTY;
        if (v == null || v.isBlank()) {
            v = System.getenv(SIZE_ENVIRONMENT);
            source = SIZE_ENVIRONMENT;
        }
        if (v == null || v.isBlank()) {
            return 20;
        }
        try {
            int n = Integer.parseInt(v.strip());
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + "=" + v + " is not a positive thread count");
        }
    }

    private static final class PoolThread extends Thread {
        PoolThread(Runnable r, int n) {
            super(null, r, "eventlet-tpool-" + n, 0, false);
            setDaemon(true);
        }
    }

    /** Created on first use: a program that never calls Tpool starts no threads. */
    private static final class Pool {
        static final int SIZE = configuredSize();
        static final ThreadPoolExecutor EXECUTOR;

        static {
            AtomicInteger count = new AtomicInteger();
            EXECUTOR = new ThreadPoolExecutor(SIZE, SIZE, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                    r -> new PoolThread(r, count.incrementAndGet()));
            EXECUTOR.allowCoreThreadTimeOut(true);
        }
    }
}
