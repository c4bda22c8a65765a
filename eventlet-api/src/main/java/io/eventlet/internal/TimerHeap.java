package io.eventlet.internal;

import java.util.Arrays;

/**
 * A binary min-heap of timers ordered by (deadline, scheduling order): O(log n) schedule, O(1)
 * cancel. Cancelled timers stay in place until they reach the top or until they are the majority,
 * when the heap is compacted in O(n) (eventlet's rule), so cancel-heavy use keeps memory bounded.
 *
 * <p>Not thread-safe: used only by its hub's thread, except {@link #liveFromAnyThread()}.
 */
final class TimerHeap {
    private static final java.lang.invoke.VarHandle SIZE;
    private static final java.lang.invoke.VarHandle CANCELLED;

    static {
        try {
            var l = java.lang.invoke.MethodHandles.lookup();
            SIZE = l.findVarHandle(TimerHeap.class, "size", int.class);
            CANCELLED = l.findVarHandle(TimerHeap.class, "cancelled", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private ScheduledCall[] heap = new ScheduledCall[64];
    private int size;
    private int cancelled;
    private long nextSeq;

    void add(ScheduledCall t) {
        if (t.isCancelled()) {
            return;   // cancelled while staged or in transit from another thread: never enters
        }
        t.inHeap = true;
        t.seq = nextSeq++;
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        siftUp(size++, t);
    }

    /**
     * Notes the cancellation of {@code t}; compacts when cancelled timers are the majority. Each
     * cancelled timer is counted once and only while it is in the heap, so the count stays exact
     * however cancellation and removal interleave (a note may arrive from another thread after
     * the timer already left the heap).
     */
    void noteCancelled(ScheduledCall t) {
        if (!t.inHeap || t.counted) {
            return;
        }
        t.counted = true;
        if (++cancelled > size / 2 && size >= 16) {
            compact();
        }
    }

    /** Entries held, including cancelled ones not yet removed. */
    int size() {
        return size;
    }

    /** Live (not cancelled) timers. */
    int live() {
        return size - cancelled;
    }

    /**
     * {@link #live()} for statistics from another thread: opaque reads (never hoisted out of a
     * reader's loop) of two counts the hub writes plainly, so the difference may be off by the
     * timers added or dropped between the two reads; never negative.
     */
    int liveFromAnyThread() {
        int c = (int) CANCELLED.getOpaque(this);
        return Math.max(0, (int) SIZE.getOpaque(this) - c);
    }

    /** The earliest deadline of a pending timer, or {@link Long#MAX_VALUE} when none. */
    long nextDeadline() {
        dropCancelledTop();
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /** Removes and returns the earliest pending timer due at {@code now}, or null. */
    ScheduledCall pollDue(long now) {
        dropCancelledTop();
        if (size == 0 || heap[0].deadline - now > 0) {
            return null;
        }
        return removeTop();
    }

    private void dropCancelledTop() {
        while (size > 0 && heap[0].isCancelled()) {
            if (removeTop().counted) {
                cancelled--;
            }
        }
    }

    private ScheduledCall removeTop() {
        ScheduledCall top = heap[0];
        top.inHeap = false;
        ScheduledCall last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            siftDown(0, last);
        }
        return top;
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (!heap[i].isCancelled()) {
                heap[n++] = heap[i];
            } else {
                heap[i].inHeap = false;
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        cancelled = 0;
        for (int i = (n >>> 1) - 1; i >= 0; i--) {
            siftDown(i, heap[i]);
        }
        if (heap.length > 64 && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, Math.max(64, heap.length / 2));
        }
    }

    private static boolean before(ScheduledCall a, ScheduledCall b) {
        long d = a.deadline - b.deadline;
        return d < 0 || (d == 0 && a.seq < b.seq);
    }

    private void siftUp(int i, ScheduledCall t) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            ScheduledCall p = heap[parent];
            if (!before(t, p)) {
                break;
            }
            heap[i] = p;
            i = parent;
        }
        heap[i] = t;
    }

    private void siftDown(int i, ScheduledCall t) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            ScheduledCall c = heap[child];
            int right = child + 1;
            if (right < size && before(heap[right], c)) {
                child = right;
                c = heap[right];
            }
            if (!before(c, t)) {
                break;
            }
            heap[i] = c;
            i = child;
        }
        heap[i] = t;
    }
}
