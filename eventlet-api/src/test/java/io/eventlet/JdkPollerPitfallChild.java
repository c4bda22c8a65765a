package io.eventlet;

import io.eventlet.hub.selector.SelectorHubProvider;
import io.eventlet.internal.VirtualThreads;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * Run by {@link JdkPollerPitfallTest} in a fresh JVM (docs/design.md, founding decision 2, pitfall 1). Mode
 * {@code eventlet}: start a hub, then do blocking {@link Socket} I/O in a green thread; mode
 * {@code control}: do the same I/O first in a virtual thread with a custom scheduler, built with
 * the same reflective builder but without eventlet. Then inspect the JDK's socket pollers and print
 * one {@code VIOLATION} line per poller thread that the custom scheduler owns.
 */
final class JdkPollerPitfallChild {
    private JdkPollerPitfallChild() {
    }

    /** The scheduler of the control: a plain executor that eventlet knows nothing of. */
    static final class ControlScheduler implements Executor {
        private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().unstarted(r));

        @Override
        public void execute(Runnable task) {
            pool.execute(task);
        }
    }

    public static void main(String[] args) throws Exception {
        boolean control = args[0].equals("control");
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Predicate<Executor> violates;
        if (control) {
            ControlScheduler scheduler = new ControlScheduler();
            Thread t = unstartedVirtualThread(scheduler, () -> readOneByte(server));
            serveOneByte(server, t);
            violates = s -> s == scheduler;
        } else {
            Hub hub = Hub.start(new SelectorHubProvider());
            GreenThread<Integer> g = hub.spawn(() -> readOneByte(server));
            serveOneByte(server, awaitThread(g));
            System.out.println("READ=" + g.join());
            violates = s -> s instanceof io.eventlet.internal.Loop;   // a hub's scheduler is its loop, not the Hub façade
        }
        inspectPollers(violates);
    }

    private static int readOneByte(ServerSocket server) throws Exception {
        try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort())) {
            InputStream in = s.getInputStream();
            return in.read();
        }
    }

    private static Thread awaitThread(GreenThread<?> g) {
        Thread t;
        while ((t = g.thread()) == null) {
            Thread.onSpinWait();
        }
        return t;
    }

    /** Accepts, waits until the client is parked in its read (so the read used the JDK poller), writes a byte. */
    private static void serveOneByte(ServerSocket server, Thread client) throws Exception {
        if (client.getState() == Thread.State.NEW) {
            client.start();
        }
        try (Socket s = server.accept()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (client.getState() != Thread.State.WAITING && client.getState() != Thread.State.TIMED_WAITING) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the client never parked in its read: " + client.getState());
                }
                LockSupport.parkNanos(100_000);
            }
            OutputStream out = s.getOutputStream();
            out.write(1);
            out.flush();
            client.join(TimeUnit.SECONDS.toMillis(20));
        }
    }

    /** A virtual thread with {@code scheduler}, built as eventlet does but without eventlet's classes. */
    private static Thread unstartedVirtualThread(Executor scheduler, java.util.concurrent.Callable<Integer> body) throws Exception {
        Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
        Constructor<?> c = builderClass.getDeclaredConstructor(Executor.class);
        c.setAccessible(true);
        Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) c.newInstance(scheduler);
        AtomicReference<Object> result = new AtomicReference<>();
        return b.unstarted(() -> {
            try {
                result.set(body.call());
                System.out.println("READ=" + result.get());
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
    }

    private static void inspectPollers(Predicate<Executor> violates) throws Exception {
        Class<?> pollerClass = Class.forName("sun.nio.ch.Poller");
        Field owner = pollerClass.getDeclaredField("owner");
        owner.setAccessible(true);
        List<Object> pollers = new ArrayList<>();
        for (String which : List.of("readPollers", "writePollers")) {
            Method m = pollerClass.getMethod(which);
            pollers.addAll((List<?>) m.invoke(null));
        }
        // A poller thread records itself as owner when it starts running: give them time to.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (Object p : pollers) {
            while (owner.get(p) == null && System.nanoTime() < deadline) {
                LockSupport.parkNanos(1_000_000);
            }
        }
        for (Object p : pollers) {
            Thread t = (Thread) owner.get(p);
            Executor scheduler = t == null ? null : VirtualThreads.schedulerOf(t);
            System.out.println("POLLER owner=" + t + " scheduler=" + (scheduler == null ? "none" : scheduler.getClass().getName()));
            if (t == null) {
                System.out.println("UNSTARTED poller " + p);
            } else if (scheduler != null && violates.test(scheduler)) {
                System.out.println("VIOLATION " + t + " runs on " + scheduler);
            }
        }
    }
}
