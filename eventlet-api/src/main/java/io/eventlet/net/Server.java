package io.eventlet.net;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.internal.Greenlet;
import io.eventlet.internal.Wait;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.BiConsumer;

/**
 * A running {@link Eventlet#serve} loop, with a handle to stop it: the accept loop runs in a green
 * thread of the hub that started it, one green thread per connection, as {@code serve} does, and
 * {@link #shutdown(Duration)} stops it gracefully, like {@code HttpServer}'s.
 *
 * {@snippet :
 * GreenServerSocket listener = Eventlet.listen(7000);
 * Server server = Server.start(listener, conn -> echo(conn));
 * Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdown(Duration.ofSeconds(10))));
 * server.await();                      // until shutdown, a StopServe, or the listener's close
 * }
 *
 * <p>Shutdown closes the listener, so new clients are refused by the kernel at once rather than
 * left in a backlog nobody reads; connections being handled go on until they finish or the
 * deadline passes, when their green threads are killed ({@link GreenThreadExit}: {@code finally}
 * blocks run, the connections close). A connection accepted but not yet started at the deadline
 * is closed without its handler. Closing the listener from any thread also ends the accept loop,
 * quietly, and leaves the handlers running, as a {@link StopServe} does.
 *
 * <p>Thread-safe: every method may be called from any thread, plain or green, of any hub.
 */
public final class Server implements AutoCloseable {
    private final GreenServerSocket listener;
    private final Serve serve;
    private final Hub hub;
    private final GreenThread<Void> loop;

    private Server(GreenServerSocket listener, Serve serve, Hub hub) {
        this.listener = listener;
        this.serve = serve;
        this.hub = hub;
        this.loop = hub.spawn(() -> {
            serve.run();
            return null;
        });
    }

    /**
     * {@link #start(GreenServerSocket, ConnectionHandler, int, BiConsumer)} with eventlet's default
     * concurrency ({@link Eventlet#DEFAULT_CONCURRENCY}) and failed handlers logged.
     *
     * @param listener the listening socket to accept from; the server closes it at shutdown
     * @param handler runs once per connection, in the connection's green thread; the connection
     *     is closed when it returns or throws
     * @return the running server
     */
    public static Server start(GreenServerSocket listener, ConnectionHandler handler) {
        return start(listener, handler, Eventlet.DEFAULT_CONCURRENCY, null);
    }

    /**
     * Starts serving {@code listener} in a new green thread of the caller's hub ({@link
     * Hub#current()}: a green caller's own hub, the default hub for a plain thread), with at most
     * {@code concurrency} connections handled at once.
     *
     * @param listener the listening socket to accept from; the server closes it at shutdown
     * @param handler runs once per connection, in the connection's green thread; the connection
     *     is closed when it returns or throws
     * @param concurrency the most connections handled at once, at least 1; more wait in the
     *     listen backlog
     * @param errorHandler called in the failed connection's green thread with what its handler
     *     threw; null to log it
     * @return the running server
     * @throws IllegalArgumentException when {@code concurrency} is below 1
     */
    public static Server start(GreenServerSocket listener, ConnectionHandler handler, int concurrency,
                               BiConsumer<GreenSocket, Throwable> errorHandler) {
        return start(Hub.current(), listener, handler, concurrency, errorHandler);
    }

    /** {@link #start(GreenServerSocket, ConnectionHandler, int, BiConsumer)} on a given hub. */
    static Server start(Hub hub, GreenServerSocket listener, ConnectionHandler handler, int concurrency,
                        BiConsumer<GreenSocket, Throwable> errorHandler) {
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(handler, "handler");
        return new Server(listener, new Serve(listener, handler, concurrency, errorHandler, true), hub);
    }

    /**
     * The address the listener is bound to.
     *
     * @return the listener's local address, with the port chosen when it was 0
     * @throws IOException when the listener is closed
     */
    public SocketAddress address() throws IOException {
        return listener.localAddress();
    }

    /**
     * The hub the accept loop and the connections run on.
     *
     * @return the serving hub
     */
    public Hub hub() {
        return hub;
    }

    /**
     * Connections accepted and not yet closed, a moment ago.
     *
     * @return the number of connections being handled (or about to be)
     */
    public int connections() {
        return serve.active();
    }

    /**
     * Whether the accept loop has ended: after a shutdown, a {@link StopServe}, the listener's
     * close, or the listener's own timeout. Handlers may still be running.
     *
     * @return true once the server accepts no more connections
     */
    public boolean isStopped() {
        return loop.isDone();
    }

    /**
     * Waits until the accept loop has ended (see {@link #isStopped()}); handlers may still be
     * running. A green caller suspends, a kill or a {@code Timeout} ending the wait; a plain caller
     * blocks, uninterruptibly.
     *
     * @throws IOException what ended the loop when it was not a shutdown, a {@link StopServe} or
     *     a close: a {@link java.net.SocketTimeoutException} from a timeout set on the listener
     */
    public void await() throws IOException {
        try {
            loop.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } catch (GreenThreadExit e) {
            if (!loop.isDone()) {
                throw e;                    // the caller was killed
            }
            // The loop was killed with its hub: it has ended.
        }
    }

    /**
     * Graceful shutdown: stops accepting (the listener closes), lets the connections being handled
     * finish, and at {@code deadline} kills the handlers left; returns when the accept loop and
     * every handler have ended. Calls may overlap; an earlier deadline wins. A handler of this
     * server cannot wait for itself: from a handler, throw {@link StopServe}, or spawn a green
     * thread that shuts down.
     *
     * @param deadline how long handlers may take to finish; zero kills them at once
     * @return true when every handler finished before the deadline (none had to be killed)
     * @throws IllegalStateException when called from one of this server's handlers
     */
    public boolean shutdown(Duration deadline) {
        Objects.requireNonNull(deadline, "deadline");
        long grace = Wait.nanos(deadline);
        Greenlet me = Greenlet.current();
        if (me != null && Hub.current() == hub && serve.isHandler(me)) {
            throw new IllegalStateException("a handler of " + this + " cannot wait for its own shutdown:"
                    + " throw StopServe, or shut down from another green thread (Eventlet.spawn)");
        }
        GreenThread<Boolean> drain;
        try {
            drain = hub.spawn(() -> serve.drain(grace));
        } catch (IllegalStateException e) {
            if (hub.isClosed()) {
                return false;               // the hub closed first, and its green threads were killed
            }
            throw e;
        }
        try {
            return drain.join();
        } catch (GreenThreadExit e) {
            if (!drain.isDone()) {
                throw e;                    // the caller was killed
            }
            return false;                   // the hub closed during the shutdown
        }
    }

    /** Shuts down with no grace: {@link #shutdown(Duration) shutdown(Duration.ZERO)}. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "Server[" + listener + " on " + hub.name() + (isStopped() ? ", stopped" : "") + "]";
    }
}
