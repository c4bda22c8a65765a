package io.eventlet.hub.selector;

import io.eventlet.spi.Poller;
import java.io.IOException;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * A {@link Poller} over one {@link Selector}. Level-triggered: the hub keeps the interest set to
 * what green threads wait for. Ready keys are handed to the listeners through
 * {@link Selector#select(Consumer, long)}, which allocates nothing per key.
 *
 * <p>Not thread-safe, except {@link #wakeup()}: the hub's thread only.
 */
final class SelectorPoller implements Poller, Consumer<SelectionKey> {
    private final Selector selector;
    private int registrations;
    private int reported;

    SelectorPoller() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public Registration register(SelectableChannel channel, int ops, ReadinessListener listener) throws IOException {
        SelectionKey key;
        try {
            key = channel.register(selector, toSelector(channel, ops), listener);
        } catch (CancelledKeyException e) {
            // The channel's previous key with this selector is cancelled but not yet flushed;
            // a non-blocking select flushes it (any keys it finds ready are dispatched later).
            selector.selectNow(this);
            key = channel.register(selector, toSelector(channel, ops), listener);
        }
        registrations++;
        return new KeyRegistration(key, channel);
    }

    @Override
    public int poll(long timeoutNanos) throws IOException {
        reported = 0;
        if (timeoutNanos == 0) {
            selector.selectNow(this);
        } else if (timeoutNanos < 0) {
            selector.select(this);
        } else {
            // Rounded up, never to 0 (which select(long) would take as "no bound"); the sum
            // (timeoutNanos + 999_999) used before overflowed for huge timeouts.
            selector.select(this, Poller.timeoutMillis(timeoutNanos));
        }
        return reported;
    }

    @Override
    public void accept(SelectionKey key) {
        int ready;
        try {
            ready = key.readyOps();
        } catch (CancelledKeyException e) {
            return;
        }
        int ops = 0;
        if ((ready & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            ops |= READ;
        }
        if ((ready & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            ops |= WRITE;
        }
        if (ops != 0) {
            reported++;
            ((ReadinessListener) key.attachment()).ready(ops);
        }
    }

    @Override
    public void wakeup() {
        selector.wakeup();
    }

    @Override
    public int registrations() {
        return registrations;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        // The registrations are gone with the selector (Poller#close); a later cancel() must not count below zero.
        registrations = 0;
    }

    /** Translates READ/WRITE into the operations this kind of channel supports. */
    static int toSelector(SelectableChannel channel, int ops) {
        int valid = channel.validOps();
        int s = 0;
        if ((ops & READ) != 0) {
            s |= valid & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((ops & WRITE) != 0) {
            s |= valid & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return s;
    }

    private final class KeyRegistration implements Registration {
        private final SelectionKey key;
        private final SelectableChannel channel;
        private boolean cancelled;

        KeyRegistration(SelectionKey key, SelectableChannel channel) {
            this.key = key;
            this.channel = channel;
        }

        @Override
        public void interest(int ops) throws IOException {
            try {
                key.interestOps(toSelector(channel, ops));
            } catch (CancelledKeyException e) {
                throw new ClosedChannelException();
            }
        }

        @Override
        public void cancel() {
            if (!cancelled) {
                cancelled = true;
                if (selector.isOpen()) {
                    registrations--;
                }
                key.cancel();
            }
        }
    }
}
