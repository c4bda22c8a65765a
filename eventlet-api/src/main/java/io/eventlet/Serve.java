package io.eventlet;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of {@link Eventlet#serve}: a green thread per connection, at most
 * {@code concurrency} at once (the next connection waits in the listen backlog until a slot
 * frees). Everything runs on the serving green thread's hub, so the slot count needs no
 * synchronisation.
 */
final class Serve {
    private static final Logger log = LoggerFactory.getLogger(Serve.class);

    private final GreenServerSocket server;
    private final ConnectionHandler handler;
    private final int concurrency;
    private final BiConsumer<GreenSocket, Throwable> errorHandler;
    private final GreenThread<?> acceptor;
    private int active;
    private boolean acceptorWaitsForSlot;

    private Serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
                  BiConsumer<GreenSocket, Throwable> errorHandler, GreenThread<?> acceptor) {
        this.server = server;
        this.handler = handler;
        this.concurrency = concurrency;
        this.errorHandler = errorHandler;
        this.acceptor = acceptor;
    }

    static void serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
                      BiConsumer<GreenSocket, Throwable> errorHandler) throws IOException {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        GreenThread<?> g = GreenThread.current();
        if (g == null) {
            Hub.checkNotHubThread("serve");
            // A plain thread: serve from a green thread of a hub that runs on this thread.
            Eventlet.run(() -> {
                serve(server, handler, concurrency, errorHandler);
                return null;
            });
            return;
        }
        new Serve(server, handler, concurrency, errorHandler, g).run();
    }

    private void run() throws IOException {
        try {
            while (true) {
                while (active >= concurrency) {
                    acceptorWaitsForSlot = true;
                    try {
                        acceptor.parkOnce(this);
                    } finally {
                        acceptorWaitsForSlot = false;
                    }
                }
                GreenSocket conn = server.accept();
                active++;
                acceptor.hub.spawnN(() -> handle(conn));
            }
        } catch (StopServe stop) {
            log.debug("serve on {} stopped by a handler: {}", server, stop.getMessage());
        }
    }

    private void handle(GreenSocket conn) {
        try {
            handler.handle(conn);
        } catch (StopServe stop) {
            acceptor.kill(stop);
        } catch (GreenThreadExit exit) {
            throw exit;
        } catch (Throwable t) {
            report(conn, t);
        } finally {
            try {
                conn.close();
            } catch (IOException e) {
                log.debug("closing {} failed", conn, e);
            }
            active--;
            if (acceptorWaitsForSlot) {
                LockSupport.unpark(acceptor.thread);
            }
        }
    }

    private void report(GreenSocket conn, Throwable t) {
        if (errorHandler != null) {
            try {
                errorHandler.accept(conn, t);
                return;
            } catch (Throwable e) {
                t.addSuppressed(e);
            }
        }
        log.error("handler for {} on {} failed; serving goes on", conn, server, t);
    }
}
