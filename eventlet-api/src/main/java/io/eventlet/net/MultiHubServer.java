package io.eventlet.net;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One server on every core: {@link Eventlet#serve} run by N hubs at once, each with its own
 * SO_REUSEPORT listener on the same address, so the kernel spreads connections over the hubs and
 * each connection stays on the hub that accepted it. Opt-in: green threads of different hubs do
 * run in parallel, which plain eventlet code does not expect; share state between handlers only
 * through thread-safe structures.
 *
 * {@snippet :
 * try (MultiHubServer server = MultiHubServer.start(new InetSocketAddress(8080), 2, 10_000, conn -> echo(conn))) {
 *     server.await();            // until a handler throws StopServe on every hub, or close()
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class MultiHubServer implements AutoCloseable {
    private final SocketAddress address;
    private final List<Hub> hubs = new ArrayList<>();
    private final List<GreenServerSocket> listeners = new ArrayList<>();
    private final List<GreenThread<Void>> loops = new ArrayList<>();
    private volatile boolean closed;

    private MultiHubServer(SocketAddress address) {
        this.address = address;
    }

    /**
     * {@link #start(SocketAddress, int, int, ConnectionHandler, HubProvider)} with the configured
     * kind of hub.
     *
     * @param address where every listener listens; port 0 for a free one
     * @param hubCount how many hubs, each with its listener, at least 1
     * @param concurrencyPerHub the most connections each hub handles at once, at least 1
     * @param handler runs once per connection, in the connection's green thread
     * @return the running server; close it to stop every hub
     * @throws IOException when a listener cannot be bound (the address is in use without
     *     SO_REUSEPORT)
     */
    public static MultiHubServer start(SocketAddress address, int hubCount, int concurrencyPerHub, ConnectionHandler handler) throws IOException {
        return start(address, hubCount, concurrencyPerHub, handler, Hub.provider());
    }

    /**
     * Starts {@code hubCount} hubs of {@code provider}, each serving its own listener on
     * {@code address} (port 0: a free port, the same for every listener) with at most
     * {@code concurrencyPerHub} connections at once.
     *
     * @param address where every listener listens; port 0 for a free one
     * @param hubCount how many hubs, each with its listener, at least 1
     * @param concurrencyPerHub the most connections each hub handles at once, at least 1
     * @param handler runs once per connection, in the connection's green thread
     * @param provider the kind of hub
     * @return the running server; close it to stop every hub
     * @throws UnsupportedOperationException where SO_REUSEPORT is not supported
     * @throws IOException when a listener cannot be bound (the address is in use without
     *     SO_REUSEPORT)
     */
    public static MultiHubServer start(SocketAddress address, int hubCount, int concurrencyPerHub,
                                       ConnectionHandler handler, HubProvider provider) throws IOException {
        return start(address, hubCount, concurrencyPerHub, handler, null, provider);
    }

    /**
     * Like {@link #start(SocketAddress, int, int, ConnectionHandler, HubProvider)}, with a handler's
     * exceptions passed to {@code errorHandler} instead of the log (as
     * {@link Eventlet#serve(GreenServerSocket, ConnectionHandler, int, java.util.function.BiConsumer)}).
     * {@link Hub#provider(String)} names a kind of hub.
     *
     * @param address where every listener listens; port 0 for a free one
     * @param hubCount how many hubs, each with its listener, at least 1
     * @param concurrencyPerHub the most connections each hub handles at once, at least 1
     * @param handler runs once per connection, in the connection's green thread
     * @param provider the kind of hub
     * @return the running server; close it to stop every hub
     * @param errorHandler called in the failed connection's green thread; null to log
     * @throws IOException when a listener cannot be bound (the address is in use without
     *     SO_REUSEPORT)
     */
    public static MultiHubServer start(SocketAddress address, int hubCount, int concurrencyPerHub, ConnectionHandler handler,
                                       java.util.function.BiConsumer<GreenSocket, Throwable> errorHandler,
                                       HubProvider provider) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(provider, "provider");
        if (hubCount < 1) {
            throw new IllegalArgumentException("hubCount must be at least 1, got " + hubCount);
        }
        if (concurrencyPerHub < 1) {
            throw new IllegalArgumentException("concurrencyPerHub must be at least 1, got " + concurrencyPerHub);
        }
        GreenServerSocket first = GreenServerSocket.open(address, Eventlet.DEFAULT_BACKLOG, true);
        MultiHubServer server = new MultiHubServer(first.localAddress());
        server.listeners.add(first);
        try {
            for (int i = 1; i < hubCount; i++) {
                server.listeners.add(GreenServerSocket.open(server.address, Eventlet.DEFAULT_BACKLOG, true));
            }
            for (GreenServerSocket listener : server.listeners) {
                Hub hub = Hub.start(provider);
                server.hubs.add(hub);
                server.loops.add(hub.spawn(() -> {
                    Serve.serve(listener, handler, concurrencyPerHub, errorHandler);
                    return null;
                }));
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /**
     * The address every hub listens on.
     *
     * @return the bound address, with the real port when port 0 was asked for
     */
    public SocketAddress address() {
        return address;
    }

    /**
     * The hubs, one per listener.
     *
     * @return the hubs, in the order of their listeners
     */
    public List<Hub> hubs() {
        return List.copyOf(hubs);
    }

    /**
     * Blocks until every hub's serve loop has ended: by a {@link StopServe} on each hub, or by
     * {@link #close()}. A loop that failed otherwise rethrows here.
     */
    public void await() {
        for (GreenThread<Void> loop : loops) {
            try {
                loop.join();
            } catch (GreenThreadExit e) {
                // Ended by close().
            } catch (RuntimeException e) {
                if (!(closed && e.getCause() instanceof ClosedChannelException)) {   // closed before or while it accepted
                    throw e;
                }
            }
        }
    }

    /** Closes the listeners, then the hubs (which kills the connections' green threads). Idempotent. */
    @Override
    public void close() {
        closed = true;
        for (GreenServerSocket l : listeners) {
            try {
                l.close();
            } catch (IOException e) {
                // closing a listener cannot fail in a way we could act on
            }
        }
        for (Hub h : hubs) {
            h.close();
        }
    }

    @Override
    public String toString() {
        return "MultiHubServer[" + address + ", " + hubs.size() + " hubs]";
    }
}
