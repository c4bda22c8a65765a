package io.eventlet;

import io.eventlet.debug.Backdoor;
import io.eventlet.internal.Greenlet;
import io.eventlet.internal.HubSelection;
import io.eventlet.internal.Loop;
import io.eventlet.internal.NanoClock;
import io.eventlet.internal.Wait;
import io.eventlet.net.MultiHubServer;
import io.eventlet.spi.HubProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop on one platform thread: it runs the green threads that are ready, fires the
 * timers that are due, then waits for I/O readiness until the next timer (not at all when
 * something is ready). Green threads are virtual threads whose scheduler is their hub, so every
 * JDK blocking call in them yields to the hub too.
 *
 * {@snippet :
 * Hub hub = Hub.start();                          // a new hub on its own daemon thread
 * GreenThread<String> g = hub.spawn(() -> "hello from " + Hub.current().name());
 * System.out.println(g.join());
 * hub.close();                                    // kills what is left, stops the loop
 * }
 *
 * <p>Most programs never touch a hub: {@link Eventlet#run} makes one on the calling thread, and
 * {@link Eventlet#spawn} from a plain thread uses a default hub started on demand. Which kind of
 * hub is used is configured as the README's "Picking a hub" says; {@link #providers()} lists the
 * kinds this JVM has.
 *
 * <p>This class is a façade: the loop itself is the runtime's, in a package that is not part of
 * the API.
 *
 * <h2>Threading</h2>
 * All public methods are thread-safe. Green threads of one hub never run in parallel with each
 * other or with the hub's timer callbacks. A hub is not an {@link java.util.concurrent.Executor}:
 * for the {@code java.util.concurrent} interfaces use {@link #threadFactory()} or
 * {@link GreenExecutor#on(Hub)}, whose tasks run as green threads.
 */
public final class Hub implements AutoCloseable {
    /** The system property that names the kind of hub to use: {@code -Deventlet.hub=epoll}. */
    public static final String HUB_PROPERTY = HubSelection.PROPERTY;
    /** The environment variable that names the kind of hub when {@link #HUB_PROPERTY} is not set. */
    public static final String HUB_ENVIRONMENT = HubSelection.ENVIRONMENT;

    private static final AtomicInteger HUB_COUNT = new AtomicInteger();
    private static final Object DEFAULT_LOCK = new Object();
    private static Hub defaultHub;   // guarded by DEFAULT_LOCK; lazily started, replaced when closed

    final Loop loop;

    private Hub(Loop loop) {
        this.loop = loop;
        loop.setFacade(this);
    }

    // ---- making hubs ------------------------------------------------------------------------

    /**
     * Starts a hub of the configured kind (see README, "Picking a hub") on a new daemon thread.
     *
     * @return the running hub; close it when done
     */
    public static Hub start() {
        return start(HubSelection.fromEnvironment().chosen());
    }

    /**
     * Starts a hub of the named kind on a new daemon thread.
     *
     * @param hubName the kind of hub: {@code selector}, {@code epoll}, {@code poll} or a custom one
     * @return the running hub; close it when done
     * @throws IllegalStateException when no such hub is available, listing the hubs found
     */
    public static Hub start(String hubName) {
        Objects.requireNonNull(hubName, "hubName");
        return start(select(hubName));
    }

    /**
     * Starts a hub with the given provider on a new daemon thread.
     *
     * @param provider the kind of hub, from {@link #provider(String)} or {@link #providers()}
     * @return the running hub; close it when done
     */
    public static Hub start(HubProvider provider) {
        return start(provider, NanoClock.SYSTEM);
    }

    static Hub start(HubProvider provider, NanoClock clock) {
        Objects.requireNonNull(provider, "provider");
        Hub hub = new Hub(Loop.open("eventlet-hub-" + HUB_COUNT.incrementAndGet(), provider, clock));
        hub.loop.startThread();
        return hub;
    }

    /**
     * The provider of the named kind of hub ({@code selector}, {@code epoll}, ...), for
     * {@link #start(HubProvider)}, {@link #run(HubProvider, Callable)} or {@link MultiHubServer}.
     *
     * @param hubName the kind of hub: {@code selector}, {@code epoll}, {@code poll} or a custom one
     * @return the provider, available in this JVM
     * @throws IllegalStateException when it is missing or unavailable, listing every hub found
     *     and why each unavailable one is unavailable
     */
    public static HubProvider provider(String hubName) {
        Objects.requireNonNull(hubName, "hubName");
        return select(hubName);
    }

    /**
     * The provider chosen as configured (see README, "Picking a hub").
     *
     * @return the named provider when one is asked for, else the available one of highest priority
     */
    public static HubProvider provider() {
        return HubSelection.fromEnvironment().chosen();
    }

    /**
     * The kind of hub asked for by {@code -D}{@value #HUB_PROPERTY}, else by
     * {@code $}{@value #HUB_ENVIRONMENT}; empty when the best available one is to be chosen.
     *
     * @return the requested name, or empty when none is set
     */
    public static Optional<String> requestedName() {
        return HubSelection.requestedName();
    }

    /**
     * Every hub provider this JVM finds (by {@link java.util.ServiceLoader}), available or not,
     * highest priority first (the order in which hubs are chosen; ties keep the order found).
     * A provider that fails to load is not listed: it is logged (WARN), and selection names it in its errors.
     *
     * {@snippet :
     * for (Hub.ProviderStatus p : Hub.providers()) {
     *     System.out.println(p.name() + " " + p.priority() + " "
     *             + p.unavailabilityCause().map(c -> "unavailable: " + c).orElse("available"));
     * }
     * }
     *
     * @return an unmodifiable list, best first
     */
    public static List<ProviderStatus> providers() {
        List<ProviderStatus> out = new ArrayList<>();
        HubSelection.Survey found = HubSelection.survey(HubSelection.fromEnvironmentProviders());
        for (Throwable t : found.loadFailures()) {
            org.slf4j.LoggerFactory.getLogger(Hub.class).warn("a hub provider failed to load and is not listed: {}", t.toString());
        }
        for (HubSelection.Status s : found.seen()) {
            out.add(new ProviderStatus(s.name(), s.priority(), s.unavailabilityCause(), s.provider()));
        }
        out.sort(Comparator.comparingInt(ProviderStatus::priority).reversed());
        return List.copyOf(out);
    }

    /**
     * What this JVM finds of one kind of hub.
     *
     * @param name the name to select it by ({@code epoll}, ...)
     * @param priority higher is preferred when no hub is named
     * @param unavailabilityCause why it cannot run here (a missing flag, platform or library), or empty
     * @param provider the provider, for {@link #start(HubProvider)} and the like
     */
    public record ProviderStatus(String name, int priority, Optional<Throwable> unavailabilityCause, HubProvider provider) {
        /**
         * Checks that nothing but the priority is null.
         *
         * @throws NullPointerException when {@code name}, {@code unavailabilityCause} or {@code
         *     provider} is null
         */
        public ProviderStatus {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(unavailabilityCause, "unavailabilityCause");
            Objects.requireNonNull(provider, "provider");
        }

        /**
         * True when a hub of this kind can run here.
         *
         * @return whether {@link #unavailabilityCause()} is empty
         */
        public boolean available() {
            return unavailabilityCause.isEmpty();
        }
    }

    private static HubProvider select(String hubName) {
        return HubSelection.select(Optional.of(hubName), HubSelection.fromEnvironmentProviders()).chosen();
    }

    /**
     * {@link Eventlet#run(Callable)} with a chosen kind of hub: runs {@code main} as a green thread
     * on a new hub of {@code provider} that uses the calling thread, and closes the hub after.
     *
     * @param <T> the type of {@code main}'s result
     * @param provider the kind of hub to run
     * @param main the program's first green thread
     * @return what {@code main} returned, or its exception rethrown as {@link GreenThread#join()}
     *     does
     */
    public static <T> T run(HubProvider provider, Callable<T> main) {
        Objects.requireNonNull(provider, "provider");
        return runHere(main, provider);
    }

    /** Runs {@code main} as a green thread on a new hub that runs on the calling thread. */
    static <T> T runHere(Callable<T> main, HubProvider provider) {
        Objects.requireNonNull(main, "main");
        if (Greenlet.current() != null) {
            throw new IllegalStateException("Eventlet.run called inside a green thread: the hub is already running; use Eventlet.spawn");
        }
        Wait.greenCaller("call Eventlet.run");
        if (Thread.currentThread().isVirtual()) {
            // A virtual thread cannot carry other virtual threads: run the hub on a platform thread.
            Hub hub = start(provider);
            try {
                return hub.spawn(main).join();
            } finally {
                hub.close();
            }
        }
        Hub hub = new Hub(Loop.open("eventlet-run-" + HUB_COUNT.incrementAndGet(), provider, NanoClock.SYSTEM));
        GreenThread<T> g = new GreenThread<>(new Greenlet(hub.loop, main, true));
        hub.loop.runHere(g.greenlet);
        return g.join();
    }

    /**
     * The hub running the caller: its green thread's hub, or the hub whose thread runs a timer
     * callback; otherwise the default hub, started on demand.
     *
     * @return the caller's hub, never null
     */
    public static Hub current() {
        Hub h = ofCaller();
        return h != null ? h : defaultHub();
    }

    /** The hub running the caller, or null for a plain thread. */
    static Hub ofCaller() {
        Loop l = Loop.ofCaller();
        return l == null ? null : (Hub) l.facade();
    }

    static Hub defaultHub() {
        synchronized (DEFAULT_LOCK) {
            if (defaultHub == null || defaultHub.loop.isCloseRequested()) {
                defaultHub = start();
            }
            return defaultHub;
        }
    }

    /**
     * The hubs whose loop runs now, in no particular order (for monitoring, e.g. {@link Backdoor}).
     *
     * @return a snapshot of the running hubs
     */
    public static List<Hub> running() {
        List<Hub> out = new ArrayList<>();
        for (Loop l : Loop.running()) {
            if (l.facade() instanceof Hub h) {   // every loop has one; a bare loop (tests of the runtime) is not a hub
                out.add(h);
            }
        }
        return List.copyOf(out);
    }

    // ---- public API -------------------------------------------------------------------------

    /**
     * This hub's name, which is also its thread's name.
     *
     * @return the hub's name
     */
    public String name() {
        return loop.name();
    }

    /**
     * The name of the provider whose poller this hub uses ({@code selector}, {@code epoll}, ...).
     *
     * @return the name of this hub's provider
     */
    public String providerName() {
        return loop.providerName();
    }

    /**
     * Spawns a green thread on this hub; it starts when the spawner yields. It is named
     * {@code <hub name>-green-<n>}, numbered per hub from 1 (see {@link GreenThread#name()}).
     *
     * @param <T> the type of the body's result
     * @param body what the green thread runs
     * @return the green thread, to join, kill or link
     */
    public <T> GreenThread<T> spawn(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        GreenThread<T> g = new GreenThread<>(new Greenlet(loop, body, true));
        loop.start(g.greenlet);
        return g;
    }

    /**
     * {@link #spawn(Callable)} with a name of the caller's choosing: the virtual thread's name,
     * which logs, thread dumps and JFR show. Names need not be unique.
     *
     * @param <T> the result type
     * @param name the green thread's name
     * @param body what it runs
     * @return its green thread
     * @throws IllegalStateException when the hub is closed
     */
    public <T> GreenThread<T> spawn(String name, Callable<T> body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        GreenThread<T> g = new GreenThread<>(new Greenlet(loop, body, true));
        loop.start(g.greenlet, name);
        return g;
    }

    /**
     * Spawns a green thread without a handle: cheaper; an exception it throws is logged.
     *
     * @param body what the green thread runs
     */
    public void spawnN(Runnable body) {
        Objects.requireNonNull(body, "body");
        GreenThread<Void> g = new GreenThread<>(new Greenlet(loop, body, false));
        loop.start(g.greenlet);
    }

    /**
     * {@link #spawnN(Runnable)} with a name (see {@link #spawn(String, Callable)}).
     *
     * @param name the green thread's name
     * @param body what it runs
     * @throws IllegalStateException when the hub is closed
     */
    public void spawnN(String name, Runnable body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(body, "body");
        GreenThread<Void> g = new GreenThread<>(new Greenlet(loop, body, false));
        loop.start(g.greenlet, name);
    }

    /**
     * Spawns a green thread that starts after {@code delay}. {@link GreenThread#cancel()} before
     * then means it never runs.
     *
     * @param <T> the type of the body's result
     * @param delay how long to wait before the body starts
     * @param body what the green thread runs
     * @return the green thread, to join, kill, link or cancel before it starts
     */
    public <T> GreenThread<T> spawnAfter(Duration delay, Callable<T> body) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(body, "body");
        GreenThread<T> g = new GreenThread<>(new Greenlet(loop, body, true));
        loop.startAfter(g.greenlet, Wait.nanos(delay));
        return g;
    }

    /**
     * A {@link java.util.concurrent.ThreadFactory} of green threads of this hub, named as spawned
     * ones are (see {@link GreenThreadFactory}).
     *
     * @return a new factory
     */
    public GreenThreadFactory threadFactory() {
        return new GreenThreadFactory(this, null);
    }

    /**
     * A {@link java.util.concurrent.ThreadFactory} of green threads of this hub, named
     * {@code prefix-1}, {@code prefix-2}, ... in the order they are made (see
     * {@link GreenThreadFactory}).
     *
     * @param prefix the start of every thread name
     * @return a new factory, counting from 0
     * @throws NullPointerException when {@code prefix} is null
     */
    public GreenThreadFactory threadFactory(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        return new GreenThreadFactory(this, prefix);
    }

    /**
     * {@link #spawnAfter(Duration, Callable)} with a name (see {@link #spawn(String, Callable)}).
     *
     * @param <T> the result type
     * @param name the green thread's name
     * @param delay how long to wait before it starts
     * @param body what it runs
     * @return its green thread
     * @throws IllegalStateException when the hub is closed
     */
    public <T> GreenThread<T> spawnAfter(String name, Duration delay, Callable<T> body) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(body, "body");
        GreenThread<T> g = new GreenThread<>(new Greenlet(loop, body, true));
        loop.startAfter(g.greenlet, name, Wait.nanos(delay));
        return g;
    }

    /**
     * Schedules {@code action} to run on this hub's thread after {@code delay} (eventlet's
     * {@code schedule_call_global}). From any thread. Ties fire in scheduling order.
     *
     * @param delay how long from now; zero or negative for the next timer pass
     * @param action what runs on the hub's thread; it must not block, and an exception it throws is
     *     logged
     * @return the timer, to cancel it
     */
    public Timer schedule(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        return new Timer(loop.schedule(Wait.nanos(delay), action));
    }

    /**
     * A snapshot of this hub's counters and gauges: the one source to feed a metrics library,
     * a JMX bean or a log line from (the {@code io.eventlet.HubStatistics} JFR event and the
     * backdoor's {@code hubs} command read it too). Cheap (a few loads and one small record,
     * no lock, nothing asked of the hub), so polling it every second for every hub of
     * {@link #running()} costs nothing measurable.
     *
     * <p>Thread-safe: call it from any thread, during or after the hub's life. Each value is one
     * the hub wrote recently (at most one loop turn old); the hub writes them without a lock, so
     * the fields of one snapshot are not taken at one instant, and a reader on another thread
     * polling in a loop still sees every counter move on. The counters ({@code tasksRun},
     * {@code timersFired}, {@code polls}) never go down, so a rate is the difference of two
     * snapshots; they keep their last values once the hub has stopped. The gauges
     * ({@code greenThreads}, {@code timers}, {@code runnable}) go up and down.
     *
     * @return the counters of this hub now
     */
    public Stats stats() {
        return new Stats(loop.name(), loop.providerName(), loop.greenThreadCount(), loop.timerCount(),
                loop.tasksRun(), loop.timersFired(), loop.polls(), loop.runnable());
    }

    /**
     * A snapshot of a hub's counters, from {@link Hub#stats()} (which says how and when the
     * values are read).
     *
     * @param hub the hub's name ({@link Hub#name()}), also its thread's name: a metric's label
     * @param provider the kind of hub ({@code selector}, {@code epoll}, ...): a label
     * @param greenThreads gauge: green threads alive on the hub, including those of
     *     {@link #spawnAfter} still waiting to start
     * @param timers gauge: pending timers: those of {@link #schedule}, sleeps, {@link Timeout}s, and one
     *     per green socket (or trampolined channel) that waits, or lately waited, with a timeout —
     *     a socket's deadline timer stays between its waits and goes when it next fires with no
     *     timed wait left, or when the socket closes
     * @param tasksRun counter: tasks run on the hub's thread since it started; a task is one
     *     stretch of a green thread between two blocking points (a start or a resume), or a
     *     task handed to the hub by the runtime, so its rate is the hub's switch rate
     * @param timersFired counter: timers that have fired (a socket's deadline timer fires about once per
     *     timeout period while the socket keeps waiting, and re-arms)
     * @param polls counter: calls to the poller (a busy hub polls once per turn without
     *     waiting; an idle one waits in the poller)
     * @param runnable gauge: tasks that were ready to run when the hub's latest turn began: 0 or a
     *     few on a hub that keeps up, large and growing on one that is saturated
     */
    public record Stats(String hub, String provider, int greenThreads, int timers, long tasksRun, long timersFired, long polls,
                        int runnable) {
    }

    /**
     * True once {@link #close()} has been called (or the hub's main green thread ended).
     *
     * @return whether the hub is closing or closed
     */
    public boolean isClosed() {
        return loop.isCloseRequested();
    }

    /**
     * Kills every green thread of this hub (each gets {@link GreenThreadExit}; later blocking
     * calls in them raise it again), waits for them to end, then stops the loop and releases the
     * poller. From a green thread of this hub it only starts the shutdown: the caller is killed at
     * its next blocking point. Idempotent.
     */
    @Override
    public void close() {
        loop.requestClose();
        if (!loop.isOwnContext()) {
            loop.awaitTermination();
        }
    }

    /**
     * Live green threads, for diagnostics. Runs on the hub (waits for it); from its own context,
     * directly.
     *
     * @return a snapshot of this hub's live green threads
     */
    public List<GreenThread<?>> greenThreads() {
        List<GreenThread<?>> out = new ArrayList<>();
        for (Greenlet g : loop.greenlets()) {
            out.add((GreenThread<?>) g.handle());
        }
        return out;
    }

    @Override
    public String toString() {
        return loop.toString();
    }
}
