package io.eventlet;

import io.eventlet.internal.Greenlet;
import io.eventlet.internal.ScheduledCall;
import io.eventlet.internal.Wait;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * Eventlet's {@code Timeout}: raised in the green thread that started it at that thread's current
 * or next blocking point once the duration has passed, unless cancelled first. It is both the
 * exception and its own handle, so code can tell its own timeout from a foreign one.
 *
 * {@snippet :
 * try (Timeout timeout = Timeout.start(Duration.ofSeconds(2))) {
 *     return socket.readLine();
 * } catch (Timeout t) {
 *     // t is the timeout above, or an outer one still pending: compare with == to tell them apart
 *     return null;
 * }
 * }
 *
 * <p>Timeouts nest: the first to expire is raised, the others stay pending. With a custom
 * exception ({@link #start(Duration, Throwable)}) that exception is raised instead. A
 * {@code null} duration never expires. Like {@link GreenThreadExit} it is an {@link Error}, so the
 * {@code catch (Exception e)} blocks of ordinary code do not swallow it.
 *
 * <h2>Around JDK blocking calls</h2>
 * When the timeout expires while its green thread waits in a JDK blocking call rather than in an
 * eventlet wait, the hub interrupts the thread, as {@link GreenThread#kill()} does, and the call
 * ends the way interruption ends it: {@link InterruptedException} from {@code Thread.sleep},
 * {@code Object.wait}, {@code Condition.await}, {@code BlockingQueue.take}, {@code Future.get} or
 * {@code StructuredTaskScope.join}; {@link java.nio.channels.ClosedByInterruptException} from an
 * interruptible channel. A {@link java.net.Socket} read on a virtual thread throws
 * {@link java.net.SocketException} and the JDK closes the socket: use a
 * {@link io.eventlet.net.GreenSocket} (an eventlet wait) to keep the socket after a timeout.
 * {@link #expired()} tells a catch block whether this timeout caused the interrupt.
 *
 * {@snippet :
 * Timeout timeout = Timeout.start(Duration.ofMillis(50));
 * try {
 *     return queue.take();
 * } catch (InterruptedException e) {
 *     if (timeout.expired()) {
 *         return null;                      // our timeout, delivered as an interrupt
 *     }
 *     throw e;                              // someone else's interrupt
 * } finally {
 *     timeout.close();
 * }
 * }
 *
 * <p>The thread's interrupt status tells whether the interrupt delivered the timeout. A call
 * that consumed it ({@link InterruptedException} clears the status) did: the timeout is not
 * raised again. While the status stays set, it did not: a call that ignores interruption
 * ({@code Lock.lock()}, {@code synchronized}, {@code CompletableFuture.join()}) goes on blocking,
 * and {@code ClosedByInterruptException} and a virtual thread's socket report the interrupt but
 * leave the status set, as the JDK specifies, as does a catch block that restores it. Then, at
 * the thread's next eventlet blocking point inside the timeout's scope, the status is cleared and
 * the timeout is raised there; closing the timeout first (try-with-resources) settles it with no
 * raise. A timeout that expires while an earlier one's interrupt is still set is raised at
 * the next eventlet blocking point. A cancelled timeout never interrupts, and {@link #close()}
 * after an interrupt this timeout caused leaves the interrupt status clear (unless a kill is
 * pending). The timeout of an eventlet wait is raised as before, and the thread may go on using
 * its sockets after catching it.
 *
 * <h2>Threading</h2>
 * {@link #start} must be called from a green thread; {@link #cancel()} and {@link #close()} from
 * that same green thread (or its hub); {@link #expired()} from any thread.
 */
public final class Timeout extends Error implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    private final transient Greenlet owner;
    /** The duration the timeout was started with; null for one that never expires. */
    private final Duration duration;
    private final transient Throwable exception;
    private transient ScheduledCall timer;
    private transient volatile boolean fired;

    private Timeout(Greenlet owner, Duration duration, Throwable exception) {
        super(duration == null ? "timeout (never expires)" : "timed out after " + format(duration));
        this.owner = owner;
        this.duration = duration;
        this.exception = exception;
    }

    /**
     * Starts a timeout in the current green thread.
     *
     * @return the armed timeout; close it (try-with-resources) to cancel it when the block ends
     * @param duration how long until it is raised; {@code null} never expires; zero or negative
     *     expires at the next turn of the hub
     * @throws IllegalStateException when the caller is not a green thread
     */
    public static Timeout start(Duration duration) {
        return start(duration, null);
    }

    /**
     * Like {@link #start(Duration)}, raising {@code exception} instead of the timeout itself.
     *
     * @param duration how long until it is raised; {@code null} never expires
     * @param exception what to raise in the green thread on expiry
     * @return the armed timeout; close it (try-with-resources) to cancel it when the block ends
     */
    public static Timeout start(Duration duration, Throwable exception) {
        Greenlet g = Wait.greenCaller("start a Timeout");
        if (g == null) {
            throw new IllegalStateException("Timeout.start must be called from a green thread: a timeout is raised at the green thread's blocking points");
        }
        Timeout t = new Timeout(g, duration, exception);
        if (duration != null) {
            t.timer = g.loop().scheduleOwn(Wait.nanos(duration), t::expire);
        }
        return t;
    }

    /**
     * Runs {@code body} under a timeout (eventlet's {@code with_timeout}): returns its result, or
     * {@code timeoutValue} if this timeout expired first: raised, or delivered to a JDK call as
     * the {@link InterruptedException} the body throws. A different (outer) timeout passes
     * through, as do the body's own exceptions.
     *
     * @param <T> the type of the body's result
     * @param duration how long the body may run; {@code null} for no bound
     * @param body what to run, in the calling green thread
     * @param timeoutValue what to return when this timeout expires first
     * @return the body's result, or {@code timeoutValue}
     * @throws Exception what the body throws, or an outer timeout's exception
     */
    public static <T> T withTimeout(Duration duration, Callable<T> body, T timeoutValue) throws Exception {
        Objects.requireNonNull(body, "body");
        Timeout timeout = start(duration);
        try {
            return body.call();
        } catch (Timeout t) {
            if (t == timeout) {
                return timeoutValue;
            }
            throw t;
        } catch (InterruptedException e) {
            if (timeout.expired()) {
                return timeoutValue;   // delivered to a JDK call as an interrupt
            }
            throw e;
        } finally {
            timeout.cancel();
        }
    }

    /**
     * Stops the timeout. If it has expired but has not been raised yet, it will not be raised;
     * if it interrupted a JDK call of the caller, the interrupt status is cleared. Idempotent.
     */
    public void cancel() {
        ScheduledCall t = timer;
        if (t != null) {
            t.cancel();
            timer = null;
        }
        if (fired) {
            owner.withdrawTimeout(raised());
        }
    }

    /** Same as {@link #cancel()}, for try-with-resources. */
    @Override
    public void close() {
        cancel();
    }

    /**
     * True while the timeout is armed: started with a duration, not yet expired, not cancelled.
     *
     * @return whether the timeout may still expire
     */
    public boolean pending() {
        ScheduledCall t = timer;
        return t != null && t.isPending();
    }

    /**
     * True once the timeout has expired (fired), whether it was raised, delivered as an interrupt,
     * or cancelled after expiring; stays true after {@link #cancel()} and {@link #close()}. A
     * catch block of {@link InterruptedException} asks it to tell this timeout from another interrupt.
     *
     * @return whether this timeout has expired
     */
    public boolean expired() {
        return fired;
    }

    /**
     * The duration it was started with, or null for one that never expires.
     *
     * @return the duration given to {@link #start}
     */
    public Duration duration() {
        return duration;
    }

    /**
     * The exception raised on expiry: the custom one, or this timeout.
     *
     * @return what the owner gets when the timeout expires
     */
    public Throwable raised() {
        return exception != null ? exception : this;
    }

    /**
     * Fills in no stack when made: the runtime gives it the stack of the blocking point where it
     * is raised, which is where its reader wants to look, not where it was started.
     */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return Greenlet.raisingHere() ? super.fillInStackTrace() : this;
    }

    private void expire() {
        fired = true;
        if (!owner.isDone()) {
            owner.expireTimeout(raised());
        }
    }

    private static String format(Duration d) {
        if (d.compareTo(Duration.ofSeconds(10)) >= 0) {
            return d.getSeconds() + " s";
        }
        long nanos = d.toNanos();
        return nanos % 1_000_000 != 0 ? nanos / 1000 + " µs" : nanos / 1_000_000 + " ms";
    }
}
