package io.eventlet;

import io.eventlet.internal.Greenlet;
import io.eventlet.internal.HubSelection;
import io.eventlet.internal.IoBinding;
import io.eventlet.internal.Loop;
import io.eventlet.internal.Wait;
import io.eventlet.net.ConnectionHandler;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.GreenSslSocket;
import io.eventlet.net.StopServe;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;

/**
 * The entry points of eventlet's {@code greenthread} module, with Java names.
 *
 * {@snippet :
 * int total = Eventlet.run(() -> {
 *     GreenThread<Integer> a = Eventlet.spawn(() -> { Eventlet.sleep(Duration.ofMillis(10)); return 1; });
 *     GreenThread<Integer> b = Eventlet.spawn(() -> 2);
 *     return a.join() + b.join();        // 3, after about 10 ms
 * });
 * }
 *
 * <h2>Threading</h2>
 * Every method may be called from any thread. In a green thread, spawning uses that thread's
 * hub; from a plain thread it uses a default hub started on demand (a daemon). Blocking methods
 * suspend a green caller and block a plain one; they throw {@link IllegalStateException} on a
 * hub's own thread (inside a timer callback), where nothing may block.
 */
public final class Eventlet {
    private Eventlet() {
    }

    /**
     * Runs {@code main} as a green thread on a new hub that uses the calling thread, until
     * {@code main} returns; then kills the green threads it left behind and closes the hub.
     * Returns {@code main}'s result or rethrows its exception as {@link GreenThread#join()} does.
     *
     * @param <T> the type of {@code main}'s result
     * @param main the program's first green thread
     * @return what {@code main} returned
     * @throws IllegalStateException when called inside a green thread
     */
    public static <T> T run(Callable<T> main) {
        return Hub.runHere(main, HubSelection.fromEnvironment().chosen());
    }

    /**
     * {@link #run(Callable)} for a body without a result.
     *
     * @param main the program's first green thread
     */
    public static void run(Runnable main) {
        Objects.requireNonNull(main, "main");
        run(() -> {
            main.run();
            return null;
        });
    }

    /**
     * Spawns a green thread; it starts when the caller next yields.
     *
     * @param <T> the type of the body's result
     * @param body what the green thread runs
     * @return the green thread, to join, kill or link
     */
    public static <T> GreenThread<T> spawn(Callable<T> body) {
        return Hub.current().spawn(body);
    }

    /**
     * Spawns a green thread named {@code name} (the name logs, thread dumps and JFR show; the
     * default is {@code <hub name>-green-<n>}); it starts when the caller next yields.
     *
     * @param <T> the result type
     * @param name the green thread's name
     * @param body what it runs
     * @return its green thread
     */
    public static <T> GreenThread<T> spawn(String name, Callable<T> body) {
        return Hub.current().spawn(name, body);
    }

    /**
     * Spawns a green thread without a handle (cheaper); an exception it throws is logged.
     *
     * @param body what the green thread runs
     */
    public static void spawnN(Runnable body) {
        Hub.current().spawnN(body);
    }

    /**
     * {@link #spawnN(Runnable)} with a name.
     *
     * @param name the green thread's name
     * @param body what it runs
     */
    public static void spawnN(String name, Runnable body) {
        Hub.current().spawnN(name, body);
    }

    /**
     * Spawns a green thread that starts after {@code delay}; cancel it with {@link
     * GreenThread#cancel()}.
     *
     * @param <T> the type of the body's result
     * @param delay how long to wait before the body starts; zero or negative starts it at the next
     *     yield
     * @param body what the green thread runs
     * @return the green thread, to join, kill, link or cancel before it starts
     */
    public static <T> GreenThread<T> spawnAfter(Duration delay, Callable<T> body) {
        return Hub.current().spawnAfter(delay, body);
    }

    /**
     * A {@link java.util.concurrent.ThreadFactory} of green threads of the current hub
     * ({@link Hub#current()}), as {@link Hub#threadFactory()} makes.
     *
     * @return a new factory
     */
    public static GreenThreadFactory threadFactory() {
        return Hub.current().threadFactory();
    }

    /**
     * {@link #spawnAfter(Duration, Callable)} with a name.
     *
     * @param <T> the result type
     * @param name the green thread's name
     * @param delay how long to wait before it starts
     * @param body what it runs
     * @return its green thread
     */
    public static <T> GreenThread<T> spawnAfter(String name, Duration delay, Callable<T> body) {
        return Hub.current().spawnAfter(name, delay, body);
    }

    /**
     * The current green thread, or null when the caller is not one.
     *
     * @return the calling green thread, or null on a plain thread (or a hub's own thread)
     */
    public static GreenThread<?> current() {
        return GreenThread.current();
    }

    /**
     * Suspends the current green thread for {@code duration} on a hub timer (not a JDK timer
     * thread). Zero or negative is {@link #sleep()}. A plain thread simply sleeps.
     *
     * @param duration how long to sleep
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        long nanos = Wait.nanos(duration);
        if (nanos == 0) {
            sleep();
            return;
        }
        Greenlet g = Wait.greenCaller("sleep");
        if (g == null) {
            sleepPlain(duration);
            return;
        }
        Wait.sleep(g, nanos, duration);
    }

    /**
     * Yields: the current green thread resumes after every green thread that is already runnable
     * has had its turn, and after the hub's timers and I/O (eventlet's {@code sleep(0)}). A plain
     * thread calls {@link Thread#yield()}.
     */
    public static void sleep() {
        Wait.yieldNow();
    }

    /**
     * Suspends the current green thread until {@code channel} is ready for {@code interest}
     * (eventlet's {@code hubs.trampoline}). The channel must be in non-blocking mode. Only one
     * green thread may wait to read, and one to write, on a channel at a time.
     *
     * @param channel a non-blocking channel
     * @param interest the readiness to wait for
     * @param timeout null to wait without a bound
     * @throws SocketTimeoutException when the timeout passes first
     * @throws java.nio.channels.AsynchronousCloseException when {@link #notifyClose} is called
     *     for the channel, or the hub closes, while waiting
     * @throws IllegalStateException when another green thread already waits in that direction,
     *     or the caller is not a green thread
     */
    public static void trampoline(SelectableChannel channel, Interest interest, Duration timeout) throws IOException {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(interest, "interest");
        Greenlet g = Wait.greenCaller("trampoline");
        if (g == null) {
            throw new IllegalStateException("trampoline waits on a hub: call it from a green thread");
        }
        IoBinding.trampoline(g, channel, interest.ops(), Wait.timeoutNanos(timeout), interest.toString());
    }

    /**
     * Tells the hubs that {@code channel} is about to be closed (eventlet's
     * {@code hubs.notify_close}): every green thread waiting in {@link #trampoline} on it wakes with
     * {@link java.nio.channels.AsynchronousCloseException}. Call it before closing a raw channel
     * that green threads may be waiting on; closing a channel does not tell the hub by itself,
     * and a waiter would otherwise wait until its timeout. Green sockets do this on their own.
     * From any thread.
     *
     * @param channel the channel about to be closed
     */
    public static void notifyClose(SelectableChannel channel) {
        Objects.requireNonNull(channel, "channel");
        Loop.notifyClose(channel);
    }

    // ---- sockets ----------------------------------------------------------------------------

    /** The accept backlog of {@link #listen(int)}: generous, since a hub accepts quickly. */
    public static final int DEFAULT_BACKLOG = 1024;

    /**
     * Listens on {@code port} on every interface (like {@code new ServerSocket(port)}), with
     * SO_REUSEADDR on. Port 0 picks a free port; see {@link GreenServerSocket#localAddress()}.
     *
     * @param port the port, or 0 for any free one
     * @return the listening socket
     * @throws IOException when the socket cannot be bound (the port is in use, or needs privileges)
     */
    public static GreenServerSocket listen(int port) throws IOException {
        return listen(new java.net.InetSocketAddress(port), DEFAULT_BACKLOG, false);
    }

    /**
     * Listens on an address (IPv4, IPv6 or a Unix-domain path) with SO_REUSEADDR on.
     *
     * @param address where to listen: an {@link java.net.InetSocketAddress} or a {@link
     *     java.net.UnixDomainSocketAddress}
     * @return the listening socket, with a backlog of {@link #DEFAULT_BACKLOG}
     * @throws IOException when the socket cannot be bound (the address is in use, or the path
     *     exists)
     */
    public static GreenServerSocket listen(java.net.SocketAddress address) throws IOException {
        return listen(address, DEFAULT_BACKLOG, false);
    }

    /**
     * Listens on an address with the given accept backlog.
     *
     * @param address where to listen: an {@link java.net.InetSocketAddress} or a {@link
     *     java.net.UnixDomainSocketAddress}
     * @param backlog the most connections the kernel queues before they are accepted
     * @return the listening socket
     * @throws IOException when the socket cannot be bound (the address is in use, or the path
     *     exists)
     */
    public static GreenServerSocket listen(java.net.SocketAddress address, int backlog) throws IOException {
        return listen(address, backlog, false);
    }

    /**
     * Eventlet's {@code listen}: opens a listening socket with SO_REUSEADDR on (for IP sockets)
     * and, when {@code reusePort}, SO_REUSEPORT, so several hubs can each listen on the same port.
     *
     * @param address where to listen: an {@link java.net.InetSocketAddress} or a {@link
     *     java.net.UnixDomainSocketAddress}
     * @param backlog the most connections the kernel queues before they are accepted
     * @param reusePort whether to set SO_REUSEPORT (IP sockets only)
     * @return the listening socket
     * @throws IOException when the socket cannot be bound, or SO_REUSEPORT is asked for where it is
     *     not supported
     */
    public static GreenServerSocket listen(java.net.SocketAddress address, int backlog, boolean reusePort) throws IOException {
        return GreenServerSocket.open(address, backlog, reusePort);
    }

    /**
     * Connects without a timeout; an unresolved host name is resolved on the {@link
     * io.eventlet.pool.Tpool}.
     *
     * @param address the server's address: an {@link java.net.InetSocketAddress} (resolved or not)
     *     or a {@link java.net.UnixDomainSocketAddress}
     * @return the connected socket
     * @throws IOException when the name does not resolve or the connection fails (refused,
     *     unreachable)
     */
    public static GreenSocket connect(java.net.SocketAddress address) throws IOException {
        return GreenSocket.connect(address, null);
    }

    /**
     * Eventlet's {@code connect}: connects, suspending only the calling green thread.
     *
     * @param address the server's address: an {@link java.net.InetSocketAddress} (resolved or not)
     *     or a {@link java.net.UnixDomainSocketAddress}
     * @return the connected socket
     * @param timeout bounds name resolution and connecting together; null for none
     * @throws SocketTimeoutException when it passes first
     * @throws IOException when the name does not resolve or the connection fails (refused,
     *     unreachable)
     */
    public static GreenSocket connect(java.net.SocketAddress address, Duration timeout) throws IOException {
        return GreenSocket.connect(address, timeout);
    }

    /**
     * Eventlet's {@code wrap_ssl}: TLS over {@code socket} with {@code context}'s defaults. For a
     * client that should check the server's name, prefer
     * {@link GreenSslSocket#client(GreenSocket, SSLContext, String)}; for SNI, ALPN and the like,
     * {@link GreenSslSocket#wrap(GreenSocket, SSLContext, boolean, javax.net.ssl.SSLParameters)}.
     * The handshake runs on first use.
     *
     * @param socket the connected socket to run TLS over; the TLS socket owns it from now on
     * @param context the TLS configuration (keys, trust, protocols)
     * @param clientMode true for the side that connected, false for a server's side
     * @return the TLS socket
     */
    public static GreenSslSocket wrapSsl(GreenSocket socket, SSLContext context, boolean clientMode) {
        return GreenSslSocket.wrap(socket, context, clientMode, null);
    }

    /**
     * Eventlet's {@code serve}: accepts connections forever, each handled by {@code handler} in
     * its own green thread, at most {@link #DEFAULT_CONCURRENCY} at once; a connection is closed when its
     * handler returns or throws. A handler's exception is logged (SLF4J) and serving goes on; a
     * handler throwing {@link StopServe}, or the listener's close from any thread, makes
     * {@code serve} return (handlers still running go on). Called from a plain thread, it runs a
     * hub on that thread. {@link io.eventlet.net.Server#start} serves with a handle to shut the
     * server down gracefully.
     *
     * @param server the listening socket to accept from
     * @param handler runs once per connection, in the connection's green thread
     * @throws IOException when the timeout set on the listener passed ({@link
     *     SocketTimeoutException}); closing the listener, from any thread, makes {@code serve}
     *     return
     */
    public static void serve(GreenServerSocket server, ConnectionHandler handler) throws IOException {
        server.serve(handler, DEFAULT_CONCURRENCY, null);
    }

    /**
     * The concurrency of {@link #serve(GreenServerSocket, ConnectionHandler)}: eventlet's default
     * of 1,000 connections handled at once. Pass {@link Integer#MAX_VALUE} for no bound.
     */
    public static final int DEFAULT_CONCURRENCY = 1000;

    /**
     * {@link #serve(GreenServerSocket, ConnectionHandler)} with a bound on the connections handled
     * at once; the next one waits in the listen backlog until a handler returns.
     *
     * @param server the listening socket to accept from
     * @param handler runs once per connection, in the connection's green thread
     * @param concurrency the most connections handled at once
     * @throws IOException when the timeout set on the listener passed ({@link
     *     SocketTimeoutException}); closing the listener, from any thread, makes {@code serve}
     *     return
     */
    public static void serve(GreenServerSocket server, ConnectionHandler handler, int concurrency) throws IOException {
        server.serve(handler, concurrency, null);
    }

    /**
     * {@link #serve(GreenServerSocket, ConnectionHandler, int)} with an error handler instead of
     * the log.
     *
     * @param server the listening socket to accept from
     * @param handler runs once per connection, in the connection's green thread
     * @param concurrency the most connections handled at once
     * @param errorHandler receives the connection and the exception of each handler that throws
     *     (but {@link StopServe})
     * @throws IOException when the timeout set on the listener passed ({@link
     *     SocketTimeoutException}); closing the listener, from any thread, makes {@code serve}
     *     return
     */
    public static void serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
                             java.util.function.BiConsumer<GreenSocket, Throwable> errorHandler) throws IOException {
        Objects.requireNonNull(errorHandler, "errorHandler");
        server.serve(handler, concurrency, errorHandler);
    }

    private static void sleepPlain(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
