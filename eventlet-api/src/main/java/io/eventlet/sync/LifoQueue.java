package io.eventlet.sync;

import java.util.ArrayDeque;

/**
 * A {@link Queue} that hands out the item put last first: eventlet's {@code LifoQueue}.
 *
 * @param <T> the item type
 */
public class LifoQueue<T> extends Queue<T> {
    /** An unbounded stack. */
    public LifoQueue() {
        this(UNBOUNDED);
    }

    /**
     * A stack of at most {@code maxSize} items: the last put comes out first.
     *
     * @param maxSize the most items it holds; 0 for a channel
     */
    public LifoQueue(int maxSize) {
        super(maxSize, new Stack<>());
    }

    private static final class Stack<T> implements Store<T> {
        private final ArrayDeque<T> items = new ArrayDeque<>();

        @Override
        public void add(T item) {
            items.push(item);
        }

        @Override
        public T remove() {
            return items.pop();
        }

        @Override
        public void giveBack(T item) {
            items.push(item);
        }

        @Override
        public int size() {
            return items.size();
        }
    }
}
