package io.eventlet;

import io.eventlet.internal.Greenlet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An {@link java.util.concurrent.ExecutorService} whose every task is a new green thread on one
 * hub: for code that takes an executor ({@code CompletableFuture.supplyAsync(task, executor)}, an
 * {@link java.util.concurrent.ExecutorCompletionService}, a library's callbacks). There is no
 * pool and no queue: a task starts as soon as the hub runs it, as {@link Hub#spawn} does.
 *
 * {@snippet :
 * try (GreenExecutor executor = GreenExecutor.on(Hub.current())) {
 *     Future<String> f = executor.submit(() -> socket.readLine());
 *     CompletableFuture<Integer> c = CompletableFuture.supplyAsync(() -> 6 * 7, executor);
 *     System.out.println(f.get() + c.join());
 * }                                                 // close(): shuts down, waits for the tasks
 * }
 *
 * <ul>
 *   <li>{@link #shutdown()}: no new tasks ({@link RejectedExecutionException}); those submitted
 *       run to their end.</li>
 *   <li>{@link #shutdownNow()}: also kills the running tasks' green threads
 *       ({@link GreenThreadExit}, as {@link GreenThread#kill()} does: a JDK blocking call is
 *       interrupted) and returns the tasks whose green thread had not begun them; those never run.</li>
 *   <li>{@link Future#cancel(boolean) cancel(true)} of a future of {@link #submit} kills its green
 *       thread if the task is running; {@link #invokeAny} cancels the others so once one has
 *       succeeded.</li>
 *   <li>When the hub closes, the executor is shut down: new tasks are rejected, running tasks are
 *       killed with the hub's {@link GreenThreadExit} (a future of {@link #submit} then fails with
 *       an {@link ExecutionException} caused by it), tasks not begun never run (their futures are
 *       cancelled), and the executor is terminated once their green threads have ended.</li>
 *   <li>A task given to {@link #execute} that throws is handled as a thread of
 *       {@link GreenThreadFactory} is: the exception goes to its thread's uncaught-exception handler.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * Thread-safe; every method may be called from green threads of any hub and from plain threads.
 * The waits ({@link Future#get()}, {@link #awaitTermination}, {@link #invokeAll},
 * {@link #invokeAny}, {@link #close()}) are JDK waits: a green caller suspends (its hub runs
 * others meanwhile), and a {@link Timeout} around them interrupts them (see {@link Timeout},
 * "Around JDK blocking calls"): all but {@link #close()} then throw
 * {@link InterruptedException}. {@code close()}, as {@link java.util.concurrent.ExecutorService}
 * specifies it, takes the interrupt as a cue to {@link #shutdownNow()}, waits on until the tasks
 * have ended and restores the interrupt status, so the timeout is raised at the caller's next
 * eventlet wait inside its scope. A task must not
 * wait for the termination of its own executor: it would wait for itself.
 */
public final class GreenExecutor extends AbstractExecutorService {
    private static final int QUEUED = 0;    // its green thread has not begun it
    private static final int RUNNING = 1;
    private static final int DROPPED = 2;   // it will never run: shutdownNow, or the hub closed first
    /** How often a waiter for termination looks again without a signal: the hub's close sends none. */
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final Hub hub;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Set<Job> jobs = new HashSet<>();   // guarded by lock: not ended, not dropped
    private boolean shutdown;                        // guarded by lock

    private GreenExecutor(Hub hub) {
        this.hub = hub;
    }

    /**
     * A new executor whose tasks are green threads of {@code hub}. Each call makes a new one, with
     * its own shutdown.
     *
     * @param hub the hub its tasks run on
     * @return a new executor, not shut down
     * @throws NullPointerException when {@code hub} is null
     */
    public static GreenExecutor on(Hub hub) {
        Objects.requireNonNull(hub, "hub");
        return new GreenExecutor(hub);
    }

    /**
     * The hub this executor's tasks run on.
     *
     * @return the hub
     */
    public Hub hub() {
        return hub;
    }

    /**
     * Runs {@code command} in a new green thread of the hub; it begins when the hub runs it (from
     * a green thread of the same hub: when the caller next yields).
     *
     * @param command the task
     * @throws RejectedExecutionException when the executor is shut down or the hub is closed
     * @throws NullPointerException when {@code command} is null
     */
    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        Job job = new Job(command);
        lock.lock();
        try {
            if (shutdown || hub.isClosed()) {
                throw new RejectedExecutionException("executor on hub " + hub.name() + " is shut down" + (hub.isClosed() ? " (its hub is closed)" : ""));
            }
            jobs.add(job);
        } finally {
            lock.unlock();
        }
        try {
            hub.loop.start(job.thread.greenlet);
        } catch (IllegalStateException closed) {
            ended(job);
            throw new RejectedExecutionException("hub " + hub.name() + " is closed", closed);
        }
    }

    /** No new tasks; the submitted ones run to their end. Idempotent. */
    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Shuts down, kills the green threads of the running tasks, and returns the tasks not begun
     * yet (which never run): a {@link Runnable} given to {@link #execute}, or the
     * {@link RunnableFuture} that {@link #submit} returned (not cancelled, as with the JDK's
     * executors). From a green thread of the same hub each kill yields to its victim.
     *
     * @return the tasks that never began, in no particular order
     */
    @Override
    public List<Runnable> shutdownNow() {
        List<Runnable> neverBegun = new ArrayList<>();
        List<GreenThread<?>> running = new ArrayList<>();
        lock.lock();
        try {
            shutdown = true;
            for (Job j : new ArrayList<>(jobs)) {
                if (j.phase.compareAndSet(QUEUED, DROPPED)) {
                    jobs.remove(j);
                    neverBegun.add(j.command);
                } else {
                    running.add(j.thread);
                }
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        for (GreenThread<?> g : running) {   // outside the lock: a kill may yield to its victim
            g.kill();
        }
        return neverBegun;
    }

    /**
     * True once {@link #shutdown()} or {@link #shutdownNow()} was called, or the hub closed.
     *
     * @return whether new tasks are rejected
     */
    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown || hub.isClosed();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True once shut down and every task has ended (or been dropped).
     *
     * @return whether the executor is terminated
     */
    @Override
    public boolean isTerminated() {
        lock.lock();
        try {
            return terminatedLocked();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the executor is terminated or the timeout passes.
     *
     * @param timeout how long to wait at most
     * @param unit the unit of {@code timeout}
     * @return true when terminated, false when the timeout passed first
     * @throws InterruptedException when the caller is interrupted (a {@link Timeout} of a green
     *     caller expiring does that too)
     */
    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        long left = unit.toNanos(timeout);
        lock.lock();
        try {
            while (!terminatedLocked()) {
                if (left <= 0) {
                    return false;
                }
                long slice = Math.min(left, RECHECK_NANOS);
                long unused = changed.awaitNanos(slice);
                left -= slice - Math.max(0, unused);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Callable<T> callable) {
        return new Task<>(callable);
    }

    @Override
    protected <T> RunnableFuture<T> newTaskFor(Runnable runnable, T value) {
        return new Task<>(runnable, value);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "GreenExecutor[" + hub.name() + ", " + jobs.size() + " tasks"
                    + (terminatedLocked() ? ", terminated" : shutdown || hub.isClosed() ? ", shut down" : "") + "]";
        } finally {
            lock.unlock();
        }
    }

    private boolean terminatedLocked() {
        if (!shutdown && !hub.isClosed()) {
            return false;
        }
        if (!jobs.isEmpty() && hub.isClosed() && !hub.loop.isRunning()) {
            // A task whose green thread was started as the hub stopped never runs: drop it.
            for (Job j : new ArrayList<>(jobs)) {
                j.neverStartedLocked();
            }
        }
        return jobs.isEmpty();
    }

    private void ended(Job job) {
        lock.lock();
        try {
            if (jobs.remove(job) && jobs.isEmpty()) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** One task and the green thread made for it. */
    private final class Job implements Runnable, Greenlet.NeverStarted {
        final Runnable command;
        final GreenThread<Void> thread;
        final AtomicInteger phase = new AtomicInteger(QUEUED);

        Job(Runnable command) {
            this.command = command;
            this.thread = new GreenThread<>(Greenlet.forThread(hub.loop, this));
        }

        @Override
        public void run() {
            if (!phase.compareAndSet(QUEUED, RUNNING)) {
                return;   // dropped by shutdownNow
            }
            try {
                command.run();
            } finally {
                ended(this);
            }
        }

        /** Killed, or its hub closed, before it began: it never runs, and its future says so. */
        @Override
        public void neverStarted() {
            if (phase.compareAndSet(QUEUED, DROPPED)) {
                cancelCommand();
                ended(this);
            }
        }

        void neverStartedLocked() {
            if (phase.compareAndSet(QUEUED, DROPPED)) {
                cancelCommand();
                jobs.remove(this);
            }
        }

        private void cancelCommand() {
            if (command instanceof Future<?> f) {
                f.cancel(false);
            }
        }

        @Override
        public String toString() {
            return String.valueOf(command);
        }
    }

    /**
     * A future of {@link #submit}: cancelling it with interruption kills the green thread that runs
     * it (an executor's, or wherever it is run, since a completion service wraps it in its own task).
     */
    private static final class Task<T> extends FutureTask<T> {
        private volatile GreenThread<?> greenRunner;
        private volatile Thread plainRunner;

        Task(Callable<T> callable) {
            super(callable);
        }

        Task(Runnable runnable, T value) {
            super(runnable, value);
        }

        @Override
        public void run() {
            GreenThread<?> g = GreenThread.current();
            if (g != null) {
                greenRunner = g;
            } else {
                plainRunner = Thread.currentThread();
            }
            try {
                super.run();
            } finally {
                greenRunner = null;
                plainRunner = null;
            }
        }

        /**
         * Cancels as {@link FutureTask} does, except that interrupting a green runner is a kill: a
         * green thread waiting in an eventlet wait does not see an interrupt.
         */
        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            if (!super.cancel(false)) {
                return false;
            }
            if (mayInterruptIfRunning) {
                GreenThread<?> g = greenRunner;
                Thread t = plainRunner;
                if (g != null) {
                    g.kill();
                } else if (t != null) {
                    t.interrupt();
                }
            }
            return true;
        }
    }
}
