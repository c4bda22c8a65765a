package io.eventlet.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The live green threads of one hub: an intrusive doubly linked list through
 * {@link Greenlet#prev}/{@link Greenlet#next}, so registering and leaving cost no allocation.
 *
 * <p>Hub thread only, with one exception: {@link #mountedOn} is called by the blocking
 * detector's thread while the hub is stuck in one green thread. The list does not change then
 * (only a green thread's start and end change it, on the hub's thread); the links are plain
 * fields, so that walk may see a stale link, which costs at most a missed stack in a warning.
 */
final class Registry {
    private static final java.lang.invoke.VarHandle LIVE;

    static {
        try {
            LIVE = java.lang.invoke.MethodHandles.lookup().findVarHandle(Registry.class, "live", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Greenlet head;
    private int live;

    void register(Greenlet g) {
        if (g.registered) {
            return;
        }
        g.registered = true;
        g.prev = null;
        g.next = head;
        if (head != null) {
            head.prev = g;
        }
        head = g;
        live++;
    }

    void unregister(Greenlet g) {
        if (!g.registered) {
            return;
        }
        g.registered = false;
        Greenlet p = g.prev;
        Greenlet n = g.next;
        if (p != null) {
            p.next = n;
        } else {
            head = n;
        }
        if (n != null) {
            n.prev = p;
        }
        g.prev = null;
        g.next = null;
        live--;
    }

    /** How many are alive; hub thread. */
    int size() {
        return live;
    }

    /**
     * How many are alive, for statistics from any thread: an opaque read (a plain load on the
     * hardware, but never hoisted out of a reader's loop) of the count the hub writes plainly;
     * an int is never torn, and a value stale by a moment is fine there.
     */
    int sizeFromAnyThread() {
        return (int) LIVE.getOpaque(this);
    }

    List<Greenlet> snapshot() {
        List<Greenlet> out = new ArrayList<>(live);
        for (Greenlet g = head; g != null; g = g.next) {
            out.add(g);
        }
        return out;
    }

    /** Kills every live green thread for the hub's close. */
    void killAllForClose() {
        for (Greenlet g = head; g != null; ) {
            Greenlet next = g.next;
            g.killForClose();
            g = next;
        }
    }

    /** The green thread mounted on {@code carrier} now, or null (see the class comment). */
    Greenlet mountedOn(Thread carrier) {
        for (Greenlet g = head; g != null; g = g.next) {
            Thread t = g.thread;
            if (t != null && VirtualThreads.carrierOf(t) == carrier) {
                return g;
            }
        }
        return null;
    }
}
