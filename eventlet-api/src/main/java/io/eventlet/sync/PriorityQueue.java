package io.eventlet.sync;

import java.util.Comparator;
import java.util.Objects;

/**
 * A {@link Queue} that hands out its smallest item first: eventlet's {@code PriorityQueue}.
 * Items of equal priority come out in the order they were put.
 *
 * {@snippet :
 * PriorityQueue<Job> jobs = new PriorityQueue<>(Comparator.comparingInt(Job::priority));
 * }
 *
 * @param <T> the item type
 */
public class PriorityQueue<T> extends Queue<T> {
    /** Unbounded, in natural order ({@code T} must be {@link Comparable}). */
    public PriorityQueue() {
        this(UNBOUNDED, null);
    }

    /**
     * Unbounded, ordered by {@code comparator}.
     *
     * @param comparator the order: the least item comes out first
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(UNBOUNDED, Objects.requireNonNull(comparator, "comparator"));
    }

    /**
     * A queue of at most {@code maxSize} items, the least first; equal items come out in the order
     * they were put.
     *
     * @param maxSize the most items it holds; 0 for a channel
     * @param comparator the order, or null for the natural order
     */
    public PriorityQueue(int maxSize, Comparator<? super T> comparator) {
        super(maxSize, new Heap<>(comparator));
    }

    /** A binary heap of (item, sequence), so equal items keep their order. */
    private static final class Heap<T> implements Store<T> {
        private final Comparator<? super T> order;
        private final java.util.PriorityQueue<Entry<T>> heap;
        private long sequence;
        /** Sequence numbers for given-back items: below every other, so they come out first. */
        private long givenBack = Long.MIN_VALUE / 2;

        private record Entry<T>(T item, long sequence) {
        }

        @SuppressWarnings("unchecked")
        Heap(Comparator<? super T> comparator) {
            this.order = comparator != null ? comparator : (a, b) -> ((Comparable<? super T>) a).compareTo(b);
            this.heap = new java.util.PriorityQueue<>((a, b) -> {
                int c = order.compare(a.item, b.item);
                return c != 0 ? c : Long.compare(a.sequence, b.sequence);
            });
        }

        @Override
        public void add(T item) {
            if (heap.isEmpty()) {
                // Make sure the natural order can compare it before anything depends on that.
                order.compare(item, item);
            }
            heap.add(new Entry<>(item, sequence++));
        }

        @Override
        public T remove() {
            return heap.poll().item;
        }

        @Override
        public void giveBack(T item) {
            heap.add(new Entry<>(item, givenBack++));
        }

        @Override
        public int size() {
            return heap.size();
        }
    }
}
