package io.eventlet.net;

import io.eventlet.Eventlet;
import io.eventlet.Hub;
import io.eventlet.internal.Wait;
import io.eventlet.spi.HubProvider;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
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
 *     server.await();            // until a handler throws StopServe on every hub, or a shutdown
 * }
 * }
 *
 * <p>Thread-safe.
 */
public final class MultiHubServer implements AutoCloseable {
    private final SocketAddress address;
    private final List<Hub> hubs = new ArrayList<>();
    private final List<GreenServerSocket> listeners = new ArrayList<>();
    private final List<Server> servers = new ArrayList<>();

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
                server.servers.add(Server.start(hub, listener, handler, concurrencyPerHub, errorHandler));
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
     * Blocks until every hub's accept loop has ended: by a {@link StopServe} on each hub, by
     * {@link #shutdown(Duration)} or {@link #close()}. Handlers may still be running.
     *
     * @throws java.io.UncheckedIOException when a loop failed otherwise
     */
    public void await() {
        for (Server s : servers) {
            try {
                s.await();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /**
     * Graceful shutdown of every hub at once: every listener closes first, then each hub's
     * handlers get until the one deadline to finish (see {@link Server#shutdown(Duration)}); then
     * the hubs close.
     *
     * @param deadline how long handlers may take to finish; zero kills them at once
     * @return true when every handler on every hub finished before the deadline
     */
    public boolean shutdown(Duration deadline) {
        java.util.Objects.requireNonNull(deadline, "deadline");
        long end = System.nanoTime() + Wait.nanos(deadline);
        for (GreenServerSocket l : listeners) {
            try {
                l.close();                  // all at once: no hub keeps accepting while another drains
            } catch (IOException e) {
                // closing a listener cannot fail in a way we could act on
            }
        }
        boolean clean = true;
        for (Server s : servers) {
            clean &= s.shutdown(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
        }
        for (Hub h : hubs) {
            h.close();
        }
        return clean;
    }

    /** Shuts down with no grace ({@link #shutdown(Duration) shutdown(Duration.ZERO)}), then closes the hubs. Idempotent. */
    @Override
    public void close() {
        shutdown(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "MultiHubServer[" + address + ", " + hubs.size() + " hubs]";
    }
}
