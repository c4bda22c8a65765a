package io.eventlet.sync;


import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link LightQueue} that also counts unfinished tasks: eventlet's {@code queue.Queue}. Every
 * item put is a task; a consumer calls {@link #taskDone()} when it has handled one, and
 * {@link #join()} waits until every task put so far is done.
 *
 * {@snippet :
 * Queue<Url> work = new Queue<>();
 * for (int i = 0; i < 10; i++) {
 *     Eventlet.spawnN(() -> { while (true) { crawl(work.get()); work.taskDone(); } });
 * }
 * seeds.forEach(work::put);
 * work.join();                      // every URL crawled
 * }
 *
 * <h2>Threading</h2>
 * Thread-safe, like {@link LightQueue}.
 *
 * @param <T> the item type
 */
public class Queue<T> extends LightQueue<T> {
    private final WaitList joiners = new WaitList();   // guarded by the queue's lock
    private int unfinished;

    /** An unbounded queue. */
    public Queue() {
        super();
    }

    /**
     * A queue of at most {@code maxSize} items that counts unfinished tasks.
     *
     * @param maxSize the most items it holds; 0 for a channel; {@link #UNBOUNDED} for no bound
     */
    public Queue(int maxSize) {
        super(maxSize);
    }

    Queue(int maxSize, Store<T> store) {
        super(maxSize, store);
    }

    @Override
    void accepted() {
        unfinished++;
    }

    /**
     * Marks one task done.
     *
     * @throws IllegalStateException when called more times than items were put
     */
    public void taskDone() {
        java.util.List<Waiter> woken = null;
        synchronized (getters) {
            if (unfinished <= 0) {
                throw new IllegalStateException("taskDone() called more times than items were put");
            }
            if (--unfinished == 0 && !joiners.isEmpty()) {
                woken = new java.util.ArrayList<>(joiners.size());
                for (Waiter w; (w = joiners.poll()) != null; ) {
                    w.grant(null);
                    woken.add(w);
                }
            }
        }
        if (woken != null) {
            woken.forEach(Waiter::wake);
        }
    }

    /** Waits until every task put so far is done. */
    public void join() {
        join(-1);
    }

    /**
     * {@link #join()} waiting at most {@code timeout}; false when it passed first.
     *
     * @param timeout how long to wait
     * @return whether every task was marked done in time
     */
    public boolean join(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        return join(Waiter.timeoutNanos(timeout));
    }

    private boolean join(long timeoutNanos) {
        Waiter w;
        synchronized (getters) {
            if (unfinished == 0) {
                return true;
            }
            if (timeoutNanos == 0) {
                return false;
            }
            w = new Waiter();
            joiners.add(w);
        }
        return w.awaitIn(getters, joiners, timeoutNanos, this, Waiter.NOTHING);
    }

    /**
     * Tasks put and not yet marked done (eventlet's {@code unfinished_tasks}).
     *
     * @return the number of items put and not yet marked done by {@link #taskDone()}
     */
    public int unfinishedTasks() {
        synchronized (getters) {
            return unfinished;
        }
    }
}
