package io.eventlet.internal;

/**
 * The FIFO of {@link Waiter}s of one primitive, and that primitive's lock: every method is called
 * while holding {@code synchronized (list)}. Intrusive and doubly linked, so an abandoned wait
 * leaves the middle of the queue in O(1).
 *
 * <p>The lock is a monitor: on one hub it is never contended (its green threads run one at a time
 * on one carrier and never park while holding it), so it costs a compare-and-set; green threads
 * of several hubs and plain threads contend only for the few field writes inside.
 */
public final class WaitList {
    private Waiter head;
    private Waiter tail;
    private int size;

    public void add(Waiter w) {
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.linked = true;
        size++;
    }

    /** Removes {@code w} if it is still queued (it may have been granted and polled already). */
    public void remove(Waiter w) {
        if (!w.linked) {
            return;
        }
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.linked = false;
        size--;
    }

    /** The first waiter, removed; null when none waits. */
    public Waiter poll() {
        Waiter w = head;
        if (w != null) {
            remove(w);
        }
        return w;
    }

    public Waiter peek() {
        return head;
    }

    public boolean isEmpty() {
        return head == null;
    }

    public int size() {
        return size;
    }
}
