package io.eventlet.internal;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The one place that reaches into {@code java.lang} for virtual threads with a custom scheduler
 * (docs/design.md, founding decision 2). Everything here needs {@code --add-opens java.base/java.lang=<module>} at
 * run time; when that is missing, {@link #ensureAccessible()} fails with a message naming the flag.
 *
 * <p>Thread-safe: all state is final after class initialisation.
 */
public final class VirtualThreads {
    private static final Constructor<?> BUILDER;
    private static final MethodHandle CURRENT_CARRIER;
    private static final VarHandle CARRIER_OF;
    private static final VarHandle SCHEDULER_OF;
    private static final Throwable FAILURE;

    static {
        Constructor<?> builder = null;
        MethodHandle carrier = null;
        VarHandle carrierOf = null;
        VarHandle schedulerOf = null;
        Throwable failure = null;
        try {
            Class<?> builderClass = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = builderClass.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = lookup.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Class<?> vt = Class.forName("java.lang.VirtualThread");
            MethodHandles.Lookup vtLookup = MethodHandles.privateLookupIn(vt, MethodHandles.lookup());
            carrierOf = vtLookup.findVarHandle(vt, "carrierThread", Thread.class);
            schedulerOf = vtLookup.findVarHandle(vt, "scheduler", Executor.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            failure = e;
        }
        BUILDER = builder;
        CURRENT_CARRIER = carrier;
        CARRIER_OF = carrierOf;
        SCHEDULER_OF = schedulerOf;
        FAILURE = failure;
        if (failure == null) {
            startJdkPollersOnPlatformThread();
        }
    }

    private VirtualThreads() {
    }

    /** The flag a user must pass, spelled for the module this class lives in. */
    public static String requiredFlag() {
        Module m = VirtualThreads.class.getModule();
        return "--add-opens java.base/java.lang=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /** Whether green threads can be created in this JVM: {@link #requiredFlag()} was given. */
    static boolean accessible() {
        return FAILURE == null;
    }

    /**
     * Throws {@link IllegalStateException} naming the missing JVM flag when green threads cannot be
     * created in this JVM.
     */
    public static void ensureAccessible() {
        if (FAILURE != null) {
            throw new IllegalStateException("eventlet needs the JVM flag " + requiredFlag()
                    + " to schedule virtual threads on its hubs (see README, 'JVM flags'): " + FAILURE, FAILURE);
        }
    }

    /** A thread-safe factory of unstarted, unnamed virtual threads whose scheduler is {@code scheduler}. */
    public static ThreadFactory factory(Executor scheduler) {
        return factory(scheduler, null);
    }

    /**
     * A thread-safe factory of unstarted virtual threads whose scheduler is {@code scheduler},
     * named {@code namePrefix} followed by 1, 2, 3... in creation order (the JDK's own counter in
     * the factory); unnamed when {@code namePrefix} is null.
     *
     * @param scheduler the scheduler of the threads made
     * @param namePrefix the start of each thread's name, or null
     * @return the factory
     */
    public static ThreadFactory factory(Executor scheduler, String namePrefix) {
        ensureAccessible();
        try {
            Thread.Builder.OfVirtual b = (Thread.Builder.OfVirtual) BUILDER.newInstance(scheduler);
            if (namePrefix != null) {
                b.name(namePrefix, 1);
            }
            return b.inheritInheritableThreadLocals(false).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread builder: " + e, e);
        }
    }

    /**
     * The platform thread the caller runs on: the caller itself when it is a platform thread, the
     * carrier when it is a mounted virtual thread. Costs about as much as {@code currentThread()}.
     */
    public static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The carrier {@code vt} is mounted on, or null when it is not mounted (or is not virtual). */
    public static Thread carrierOf(Thread vt) {
        return vt.isVirtual() ? (Thread) CARRIER_OF.getVolatile(vt) : null;
    }

    /** The scheduler of a virtual thread, or null for a platform thread. */
    public static Executor schedulerOf(Thread vt) {
        return vt.isVirtual() ? (Executor) SCHEDULER_OF.get(vt) : null;
    }

    /**
     * Pitfall 1 of founding decision 2 (docs/design.md): the JDK starts its socket-poller virtual threads lazily with
     * {@code Thread.ofVirtual()}, which inherits the scheduler of the thread that triggers it. If a
     * green thread triggered it, the JDK's pollers would live on that hub forever. Initialise them
     * here, from a platform thread, before any hub exists.
     */
    private static void startJdkPollersOnPlatformThread() {
        Runnable init = () -> {
            try {
                Class.forName("sun.nio.ch.Poller", true, null);
            } catch (ClassNotFoundException | LinkageError e) {
                // Not every JDK has this class; then there is nothing to protect against.
            }
        };
        if (!Thread.currentThread().isVirtual()) {
            init.run();
            return;
        }
        Thread t = Thread.ofPlatform().daemon().name("eventlet-jdk-poller-init").start(init);
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
