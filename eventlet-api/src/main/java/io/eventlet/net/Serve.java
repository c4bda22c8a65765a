package io.eventlet.net;

import io.eventlet.Eventlet;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.internal.Greenlet;
import io.eventlet.internal.Wait;
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
 *
 * <p>Only closing the listener ends the loop (with the close's {@link
 * java.nio.channels.ClosedChannelException}, as before), besides {@link StopServe} and a timeout
 * the owner set on the listener ({@link java.net.SocketTimeoutException}). Any other failure of
 * {@code accept()} — out of descriptors (EMFILE, ENFILE), of kernel memory (ENOBUFS, ENOMEM), a
 * connection aborted in the queue — is waited out by {@link AcceptBackoff}: a server that stops
 * accepting for good because it once ran out of descriptors is worse than one that is slow for a
 * second.
 */
final class Serve {
    private static final Logger log = LoggerFactory.getLogger(Serve.class);

    private final GreenServerSocket server;
    private final ConnectionHandler handler;
    private final int concurrency;
    private final BiConsumer<GreenSocket, Throwable> errorHandler;
    private final Greenlet acceptor;
    private final AcceptBackoff backoff;
    private int active;
    private boolean acceptorWaitsForSlot;

    private Serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
                  BiConsumer<GreenSocket, Throwable> errorHandler, Greenlet acceptor) {
        this.server = server;
        this.handler = handler;
        this.concurrency = concurrency;
        this.errorHandler = errorHandler;
        this.acceptor = acceptor;
        this.backoff = new AcceptBackoff(server, acceptor);
    }

    static void serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
                      BiConsumer<GreenSocket, Throwable> errorHandler) throws IOException {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        Greenlet g = Wait.greenCaller("serve");
        if (g == null) {
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
                if (active >= concurrency) {
                    acceptorWaitsForSlot = true;
                    try {
                        Wait.untilGreen(acceptor, this::slotFree, Wait.FOREVER, this);
                    } finally {
                        acceptorWaitsForSlot = false;
                    }
                }
                GreenSocket conn;
                try {
                    conn = server.accept();
                } catch (java.net.SocketTimeoutException e) {
                    throw e;                    // the owner's timeout on the listener: theirs to handle
                } catch (IOException e) {
                    if (server.isClosing()) {
                        throw e;                // closed: the one way the loop ends
                    }
                    backoff.failed(e);
                    continue;
                }
                backoff.succeeded();
                active++;
                Hub.current().spawnN(() -> handle(conn));
                // Let the new handler run to its first wait before taking the next connection: a
                // handler that can finish at once (its peer already gone) frees its descriptor
                // first. Without it, a queue of dead connections left by an EMFILE episode used
                // up the freed descriptors again in one burst of accepts, and older connections
                // waited behind the burst.
                Eventlet.sleep();
            }
        } catch (StopServe stop) {
            log.debug("serve on {} stopped by a handler: {}", server, stop.getMessage());
        }
    }

    private boolean slotFree() {
        return active < concurrency;
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
                LockSupport.unpark(acceptor.thread());
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
