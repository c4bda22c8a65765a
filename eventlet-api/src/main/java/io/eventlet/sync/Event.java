package io.eventlet.sync;


import io.eventlet.internal.Greenlet;
import io.eventlet.internal.WaitList;
import io.eventlet.internal.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionException;

/**
 * A value (or an exception) that any number of threads wait for, sent once: eventlet's
 * {@code event.Event}.
 *
 * {@snippet :
 * Event<String> done = new Event<>();
 * Eventlet.spawn(() -> { done.send("hello"); return null; });
 * String s = done.await();                                   // "hello"
 * Optional<String> t = done.await(Duration.ofMillis(10));    // Optional.of("hello") at once now
 * }
 *
 * <p>{@link #send} wakes every waiter without switching away from the sender; the waiters run
 * when the sender next yields. A second {@code send} is an error until {@link #reset()}; a waiter
 * woken by a send gets that send's outcome even when the event is reset before it runs.
 *
 * <h2>Threading</h2>
 * Thread-safe. Waiters may be green threads of any hub or plain threads, and the sender any of
 * those; a green waiter suspends, a plain one blocks.
 *
 * @param <T> the value type; null is a value like any other
 */
public final class Event<T> {
    private final WaitList waiters = new WaitList();   // also the lock
    private Outcome<T> outcome;                        // null until sent

    private record Outcome<T>(T value, Throwable exception) {
        T get() {
            if (exception == null) {
                return value;
            }
            throw Greenlet.rethrown(exception);
        }
    }

    /** An event not sent yet: {@link #await} waits until {@link #send} or {@link #sendException}. */
    public Event() {
    }

    /**
     * Sends {@code value} to every current and future waiter.
     *
     * @param value the value {@link #await} returns; null is a value like any other
     * @throws IllegalStateException when already sent
     */
    public void send(T value) {
        complete(new Outcome<>(value, null));
    }

    /**
     * Makes every current and future {@link #await} throw {@code exception}: as it is when
     * unchecked, wrapped in {@link CompletionException} when checked (as {@link io.eventlet.GreenThread#join()}).
     *
     * @param exception what {@link #await} throws
     * @throws IllegalStateException when already sent
     */
    public void sendException(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        complete(new Outcome<>(null, exception));
    }

    private void complete(Outcome<T> o) {
        List<Waiter> woken;
        synchronized (waiters) {
            if (outcome != null) {
                throw new IllegalStateException("event already sent (with " + describe(outcome) + "): reset() it before sending again");
            }
            outcome = o;
            if (waiters.isEmpty()) {
                return;
            }
            woken = new ArrayList<>(waiters.size());
            for (Waiter w; (w = waiters.poll()) != null; ) {
                w.grant(o);
                woken.add(w);
            }
        }
        for (Waiter w : woken) {
            w.wake();
        }
    }

    /**
     * Waits for the send and returns its value, or throws its exception.
     *
     * @return the value sent
     */
    public T await() {
        return awaitOutcome(-1).get();
    }

    /**
     * Waits at most {@code timeout} (eventlet's {@code wait(timeout)}, which returns None when it
     * passes).
     *
     * @param timeout how long to wait
     * @return the value, or empty when the timeout passed first — or when the value sent is null;
     *     {@link #ready()} tells the two apart
     */
    public Optional<T> await(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        Outcome<T> o = awaitOutcome(Waiter.timeoutNanos(timeout));
        return o == null ? Optional.empty() : Optional.ofNullable(o.get());
    }

    @SuppressWarnings("unchecked")
    private Outcome<T> awaitOutcome(long timeoutNanos) {
        Waiter w;
        synchronized (waiters) {
            if (outcome != null) {
                return outcome;
            }
            if (timeoutNanos == 0) {
                return null;
            }
            w = new Waiter();
            waiters.add(w);
        }
        // Nothing to give back: a send is not consumed.
        return w.awaitIn(waiters, waiters, timeoutNanos, this, Waiter.NOTHING) ? (Outcome<T>) w.item : null;
    }

    /**
     * True once sent (eventlet's {@code ready()}): {@link #await} returns at once.
     *
     * @return whether a value or an exception was sent
     */
    public boolean ready() {
        synchronized (waiters) {
            return outcome != null;
        }
    }

    /**
     * True when sent with an exception.
     *
     * @return whether {@link #sendException} was called
     */
    public boolean hasException() {
        synchronized (waiters) {
            return outcome != null && outcome.exception != null;
        }
    }

    /**
     * True when sent with a value.
     *
     * @return whether {@link #send} was called
     */
    public boolean hasValue() {
        synchronized (waiters) {
            return outcome != null && outcome.exception == null;
        }
    }

    /**
     * Makes the event unsent again, so it can be sent anew; waiters woken by the last send still
     * get its outcome.
     *
     * @throws IllegalStateException when it was not sent (eventlet refuses to reset a fresh event)
     */
    public void reset() {
        synchronized (waiters) {
            if (outcome == null) {
                throw new IllegalStateException("reset() of an event that was not sent");
            }
            outcome = null;
        }
    }

    /**
     * How many threads wait for the send.
     *
     * @return the number of threads waiting in {@link #await}
     */
    public int waiting() {
        synchronized (waiters) {
            return waiters.size();
        }
    }

    private static String describe(Outcome<?> o) {
        return o.exception != null ? "exception " + o.exception : "value " + o.value;
    }

    @Override
    public String toString() {
        synchronized (waiters) {
            return "Event[" + (outcome == null ? "not sent, " + waiters.size() + " waiting" : "sent " + describe(outcome)) + "]";
        }
    }
}
