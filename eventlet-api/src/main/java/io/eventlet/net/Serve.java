package io.eventlet.net;

import io.eventlet.Eventlet;
import io.eventlet.GreenThreadExit;
import io.eventlet.Hub;
import io.eventlet.internal.Greenlet;
import io.eventlet.internal.ScheduledCall;
import io.eventlet.internal.Wait;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of {@link Eventlet#serve} and of a {@link Server}: a green thread per
 * connection, at most {@code concurrency} at once (the next connection waits in the listen
 * backlog until a slot frees). Everything but the fields a {@link Server} reads from other
 * threads ({@link #active}) lives on the serving green thread's hub, so the slot count and the handler set need no synchronisation.
 *
 * <p>The loop ends, quietly, when the listener is closed (by its owner from any thread, or by a
 * shutdown) or when a handler throws {@link StopServe}; with the exception when the owner's
 * timeout on the listener passes ({@link java.net.SocketTimeoutException}). Any other failure of
 * {@code accept()} — out of descriptors (EMFILE, ENFILE), of kernel memory (ENOBUFS, ENOMEM), a
 * connection aborted in the queue — is waited out by {@link AcceptBackoff}: a server that stops
 * accepting for good because it once ran out of descriptors is worse than one that is slow for a
 * second.
 *
 * <p>Shutdown ({@link #drain}, a {@link Server}'s): the listener closes (new clients are refused
 * by the kernel instead of waiting in a backlog nobody reads), handlers in progress run on, and at
 * the deadline the ones left are killed ({@link GreenThreadExit}: their {@code finally} blocks run
 * and their connections close). A connection accepted but not yet started when the deadline
 * passes is closed without running its handler.
 */
final class Serve {
    private static final Logger log = LoggerFactory.getLogger(Serve.class);

    private final GreenServerSocket server;
    private final ConnectionHandler handler;
    private final int concurrency;
    private final BiConsumer<GreenSocket, Throwable> errorHandler;
    /** The running handlers, for a shutdown to kill; null for a plain serve (nobody can shut it down). */
    private final Set<Greenlet> handlers;
    private Greenlet acceptor;
    private AcceptBackoff backoff;
    /** Connections accepted and not yet closed (started or not); written on the hub only. */
    private volatile int active;
    private boolean acceptorWaitsForSlot;
    private boolean acceptorDone;
    /** A shutdown began: accept nothing more. */
    private boolean draining;
    /** The shutdown's deadline passed: a handler not yet started closes its connection at once. */
    private boolean killing;
    private long killAt;
    private ScheduledCall killTimer;
    /** Set once when a shutdown has nothing left: the loop ended and no handler runs. */
    private boolean finished;
    /** Whether every handler finished before the shutdown's deadline. */
    private boolean clean = true;
    /** The green threads in {@link #drain}, waiting for {@link #finished}. */
    private final List<Greenlet> drainers = new ArrayList<>(1);

    Serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
          BiConsumer<GreenSocket, Throwable> errorHandler, boolean tracked) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, got " + concurrency);
        }
        this.server = server;
        this.handler = handler;
        this.concurrency = concurrency;
        this.errorHandler = errorHandler;
        this.handlers = tracked ? new HashSet<>() : null;
    }

    static void serve(GreenServerSocket server, ConnectionHandler handler, int concurrency,
                      BiConsumer<GreenSocket, Throwable> errorHandler) throws IOException {
        Serve serve = new Serve(server, handler, concurrency, errorHandler, false);
        Greenlet g = Wait.greenCaller("serve");
        if (g == null) {
            // A plain thread: serve from a green thread of a hub that runs on this thread.
            try {
                Eventlet.run(() -> {
                    serve.run();
                    return null;
                });
            } catch (CompletionException e) {
                if (e.getCause() instanceof IOException io) {
                    throw io;   // what serve declares, not join's wrapper
                }
                throw e;
            }
            return;
        }
        serve.run();
    }

    /** Runs the accept loop in the current green thread until the listener closes or a handler stops it. */
    void run() throws IOException {
        acceptor = Greenlet.current();
        backoff = new AcceptBackoff(server, acceptor);
        try {
            while (!draining) {
                if (active >= concurrency) {
                    acceptorWaitsForSlot = true;
                    try {
                        Wait.untilGreen(acceptor, this::slotFreeOrDraining, Wait.FOREVER, this);
                    } finally {
                        acceptorWaitsForSlot = false;
                    }
                    if (draining) {
                        break;
                    }
                }
                GreenSocket conn;
                try {
                    conn = server.accept();
                } catch (java.net.SocketTimeoutException e) {
                    throw e;                    // the owner's timeout on the listener: theirs to handle
                } catch (IOException e) {
                    if (server.isClosing()) {
                        // Closed, from any thread: the one quiet way the loop ends. Whatever the
                        // waiting accept saw (an AsynchronousCloseException, or the
                        // ClosedChannelException of an accept begun after the close) is not news.
                        log.debug("serve on {} ends: the listener was closed", server);
                        break;
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
        } finally {
            acceptorDone = true;
            maybeFinished();
        }
    }

    private boolean slotFreeOrDraining() {
        return active < concurrency || draining;
    }

    private void handle(GreenSocket conn) {
        Greenlet me = null;
        try {
            if (handlers != null) {
                if (killing) {
                    return;             // accepted before the deadline, started after it: closed unserved
                }
                me = Greenlet.current();
                handlers.add(me);
            }
            handler.handle(conn);
        } catch (StopServe stop) {
            if (acceptor != null) {
                acceptor.kill(stop);
            }
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
            if (me != null) {
                handlers.remove(me);
            }
            active--;
            if (acceptorWaitsForSlot) {
                LockSupport.unpark(acceptor.thread());
            }
            maybeFinished();
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

    // ---- shutdown: on the serving hub --------------------------------------------------------

    /** True when the current green thread is one of this server's running handlers; on the hub. */
    boolean isHandler(Greenlet g) {
        return handlers != null && handlers.contains(g);
    }

    /**
     * Starts or tightens a shutdown and waits for it, in a green thread of the serving hub: the
     * listener closes at the first call, and the handlers left {@code graceNanos} from now are
     * killed. A later call with an earlier deadline moves the deadline; a later one leaves it.
     *
     * @return whether every handler finished before the deadline
     */
    boolean drain(long graceNanos) {
        Greenlet me = Greenlet.current();
        if (!draining) {
            draining = true;
            try {
                server.close();         // wakes an accept in progress, and a back-off
            } catch (IOException e) {
                log.debug("closing {} for shutdown failed", server, e);
            }
            if (acceptorWaitsForSlot) {
                LockSupport.unpark(acceptor.thread());
            }
        }
        if (graceNanos == 0) {
            killAll();
        } else if (!killing) {
            long at = Wait.now() + graceNanos;
            if (killTimer == null || at - killAt < 0) {
                if (killTimer != null) {
                    killTimer.cancel();
                }
                killAt = at;
                killTimer = me.loop().scheduleOwn(graceNanos, this::killAll);
            }
        }
        maybeFinished();
        drainers.add(me);
        try {
            Wait.untilGreen(me, () -> finished, Wait.FOREVER, this);
        } finally {
            drainers.remove(me);
        }
        return clean;
    }

    private void killAll() {
        if (killing) {
            return;
        }
        killing = true;
        if (killTimer != null) {
            killTimer.cancel();
        }
        if (active > 0) {
            clean = false;
            GreenThreadExit exit = new GreenThreadExit("the server is shutting down: its deadline passed");
            for (Greenlet h : handlers.toArray(new Greenlet[0])) {
                h.kill(exit);
            }
        }
        maybeFinished();
    }

    private void maybeFinished() {
        if (finished || !draining || active > 0 || !acceptorDone) {
            return;
        }
        if (killTimer != null) {
            killTimer.cancel();
        }
        finished = true;
        for (Greenlet d : drainers) {
            LockSupport.unpark(d.thread());
        }
    }

    /** Connections accepted and not yet closed; any thread. */
    int active() {
        return active;
    }
}
