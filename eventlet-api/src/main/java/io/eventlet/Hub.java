package io.eventlet;

import io.eventlet.internal.HubSelection;
import io.eventlet.internal.NanoClock;
import io.eventlet.internal.VirtualThreads;
import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * {@link Eventlet#spawn} from a plain thread uses a default hub started on demand.
 *
 * <h2>Threading</h2>
 * All public methods are thread-safe. Green threads of one hub never run in parallel with each
 * other or with the hub's timer callbacks. {@link #execute} is the scheduler entry point the JDK
 * calls to make a green thread runnable, from any thread; it never blocks or throws.
 */
public final class Hub implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Hub.class);
    private static final ThreadLocal<Hub> HUB_OF_PLATFORM_THREAD = new ThreadLocal<>();
    /** Hubs whose loop is running: {@link #notifyClose} looks for trampolines in each. */
    private static final Set<Hub> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicInteger HUB_COUNT = new AtomicInteger();
    private static final Object DEFAULT_LOCK = new Object();
    private static Hub defaultHub;   // guarded by DEFAULT_LOCK; lazily started, replaced when closed

    private static final int AWAKE = 0;
    private static final int POLLING = 1;
    private static final VarHandle WAKE_STATE;
    private static final VarHandle BUSY_SINCE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAKE_STATE = l.findVarHandle(Hub.class, "wakeState", int.class);
            BUSY_SINCE = l.findVarHandle(Hub.class, "busySince", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final String providerName;
    private final Poller poller;
    final NanoClock clock;
    private final ThreadFactory factory;
    private final TimerHeap timers = new TimerHeap();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>(256);
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Map<SelectableChannel, ChannelWaiters> trampolines = new IdentityHashMap<>();
    private final long blockingThresholdNanos;

    private volatile Thread thread;
    private volatile int wakeState;
    /** When the current task or timer callback began, 0 when idle; written only with detection on. */
    private volatile long busySince;
    volatile boolean closing;
    private volatile boolean closeRequested;
    private volatile boolean terminatedFlag;

    // Hub-thread state.
    private ArrayList<Timer> stagedTimers;
    private boolean firingTimers;
    private GreenThread<?> head;
    private int live;
    // Statistics: written by the hub thread, read by anyone without synchronisation. A stale value
    // is fine for statistics, and 64-bit JVMs (the only ones JDK 25 ships) never tear a long.
    private long tasksRun;
    private long timersFired;
    private long polls;

    private Hub(String name, HubProvider provider, NanoClock clock) throws IOException {
        this.name = name;
        this.providerName = provider.name();
        this.clock = clock;
        this.factory = VirtualThreads.factory(this);
        this.poller = provider.open();
        this.blockingThresholdNanos = BlockingDetector.thresholdNanos();
    }

    // ---- making hubs ------------------------------------------------------------------------

    /** Starts a hub of the configured kind (see README, "Picking a hub") on a new daemon thread. */
    public static Hub start() {
        return start(HubSelection.fromEnvironment().chosen());
    }

    /**
     * Starts a hub of the named kind on a new daemon thread.
     *
     * @throws IllegalStateException when no such hub is available, listing the hubs found
     */
    public static Hub start(String hubName) {
        Objects.requireNonNull(hubName, "hubName");
        return start(select(hubName));
    }

    /** Starts a hub with the given provider on a new daemon thread. */
    public static Hub start(HubProvider provider) {
        return start(provider, NanoClock.SYSTEM);
    }

    static Hub start(HubProvider provider, NanoClock clock) {
        Hub hub = open("eventlet-hub-" + HUB_COUNT.incrementAndGet(), provider, clock);
        Thread t = Thread.ofPlatform().daemon().name(hub.name).unstarted(() -> hub.loop(null));
        hub.thread = t;
        t.start();
        return hub;
    }

    /**
     * The provider of the named kind of hub ({@code selector}, {@code epoll}, ...), for
     * {@link #start(HubProvider)}, {@link #run(HubProvider, Callable)} or {@link MultiHubServer}.
     *
     * @throws IllegalStateException when it is missing or unavailable, listing every hub found
     *     and why each unavailable one is unavailable
     */
    public static HubProvider provider(String hubName) {
        Objects.requireNonNull(hubName, "hubName");
        return select(hubName);
    }

    /** The provider chosen as configured (see README, "Picking a hub"). */
    public static HubProvider provider() {
        return HubSelection.fromEnvironment().chosen();
    }

    private static HubProvider select(String hubName) {
        return HubSelection.select(java.util.Optional.of(hubName), HubSelection.fromEnvironmentProviders()).chosen();
    }

    private static Hub open(String name, HubProvider provider, NanoClock clock) {
        VirtualThreads.ensureAccessible();
        try {
            return new Hub(name, provider, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a poller of hub '" + provider.name() + "': " + e.getMessage(), e);
        }
    }

    /**
     * {@link Eventlet#run(Callable)} with a chosen kind of hub: runs {@code main} as a green thread
     * on a new hub of {@code provider} that uses the calling thread, and closes the hub after.
     */
    public static <T> T run(HubProvider provider, Callable<T> main) {
        Objects.requireNonNull(provider, "provider");
        return runHere(main, provider);
    }

    /** Runs {@code main} as a green thread on a new hub that runs on the calling thread. */
    static <T> T runHere(Callable<T> main, HubProvider provider) {
        Objects.requireNonNull(main, "main");
        if (GreenThread.current() != null) {
            throw new IllegalStateException("Eventlet.run called inside a green thread: the hub is already running; use Eventlet.spawn");
        }
        checkNotHubThread("call Eventlet.run");
        if (Thread.currentThread().isVirtual()) {
            // A virtual thread cannot carry other virtual threads: run the hub on a platform thread.
            Hub hub = start(provider);
            try {
                return hub.spawn(main).join();
            } finally {
                hub.close();
            }
        }
        Hub hub = open("eventlet-run-" + HUB_COUNT.incrementAndGet(), provider, NanoClock.SYSTEM);
        hub.thread = Thread.currentThread();
        GreenThread<T> g = hub.spawn(main);
        hub.loop(g);
        return g.join();
    }

    /**
     * The hub running the caller: its green thread's hub, or the hub whose thread runs a timer
     * callback; otherwise the default hub, started on demand.
     */
    public static Hub current() {
        Hub h = ofCaller();
        return h != null ? h : defaultHub();
    }

    /** The hub running the caller, or null for a plain thread. */
    static Hub ofCaller() {
        GreenThread<?> g = GreenThread.current();
        if (g != null) {
            return g.hub;
        }
        return HUB_OF_PLATFORM_THREAD.get();
    }

    static Hub defaultHub() {
        synchronized (DEFAULT_LOCK) {
            if (defaultHub == null || defaultHub.closeRequested) {
                defaultHub = start();
            }
            return defaultHub;
        }
    }

    /** Throws when the caller is a hub's own thread, where nothing may block. */
    static void checkNotHubThread(String what) {
        Hub h = HUB_OF_PLATFORM_THREAD.get();
        if (h != null) {
            throw new IllegalStateException("cannot " + what + " on the thread of hub " + h.name
                    + " (a timer callback): do not call blocking functions from the hub's loop; spawn a green thread instead");
        }
    }

    // ---- public API -------------------------------------------------------------------------

    /** This hub's name, which is also its thread's name. */
    public String name() {
        return name;
    }

    /** The name of the provider whose poller this hub uses ({@code selector}, {@code epoll}, ...). */
    public String providerName() {
        return providerName;
    }

    /** Spawns a green thread on this hub; it starts when the spawner yields. */
    public <T> GreenThread<T> spawn(Callable<T> body) {
        Objects.requireNonNull(body, "body");
        return launch(body, true);
    }

    /** Spawns a green thread without a handle: cheaper; an exception it throws is logged. */
    public void spawnN(Runnable body) {
        Objects.requireNonNull(body, "body");
        launch(body, false);
    }

    private <T> GreenThread<T> launch(Object task, boolean observed) {
        ensureOpen();
        GreenThread<T> g = new GreenThread<>(this, task, observed);
        Thread t = factory.newThread(g::body);
        g.thread = t;
        g.markQueued();
        t.start();
        return g;
    }

    /**
     * Spawns a green thread that starts after {@code delay}. {@link GreenThread#cancel()} before
     * then means it never runs.
     */
    public <T> GreenThread<T> spawnAfter(Duration delay, Callable<T> body) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(body, "body");
        ensureOpen();
        GreenThread<T> g = new GreenThread<>(this, body, true);
        g.thread = factory.newThread(g::body);
        Runnable starter = () -> {
            g.markQueued();
            g.thread.start();
        };
        long nanos = delayNanos(delay);
        if (isOwnContext()) {
            register(g);
            g.startTimer = scheduleOwn(nanos, starter);
        } else {
            Timer timer = new Timer(this, clock.nanoTime() + nanos, starter);
            g.startTimer = timer;
            execute(() -> {
                register(g);
                addTimer(timer);
            });
        }
        return g;
    }

    /**
     * Schedules {@code action} to run on this hub's thread after {@code delay} (eventlet's
     * {@code schedule_call_global}). From any thread. Ties fire in scheduling order.
     */
    public Timer schedule(Duration delay, Runnable action) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(action, "action");
        long nanos = delayNanos(delay);
        if (isOwnContext()) {
            return scheduleOwn(nanos, action);
        }
        Timer timer = new Timer(this, clock.nanoTime() + nanos, action);
        execute(() -> addTimer(timer));
        return timer;
    }

    /** Statistics, for monitoring; from any thread (values may lag by one loop turn). */
    public Stats stats() {
        return new Stats(name, providerName, live, timers.live(), tasksRun, timersFired, polls);
    }

    /**
     * A snapshot of a hub's counters.
     *
     * @param greenThreads green threads alive on the hub
     * @param timers pending timers: those of {@link #schedule}, sleeps, {@link Timeout}s, and one
     *     per green socket (or trampolined channel) that waits, or lately waited, with a timeout —
     *     a socket's deadline timer stays between its waits and goes when it next fires with no
     *     timed wait left, or when the socket closes
     * @param tasksRun tasks run on the hub's thread
     * @param timersFired timers that have fired (a socket's deadline timer fires about once per
     *     timeout period while the socket keeps waiting, and re-arms)
     * @param polls calls to the poller
     */
    public record Stats(String hub, String provider, int greenThreads, int timers, long tasksRun, long timersFired, long polls) {
    }

    /** The hubs whose loop runs now, in no particular order (for monitoring, e.g. {@link Backdoor}). */
    public static List<Hub> running() {
        return List.copyOf(LIVE);
    }

    /** True once {@link #close()} has been called (or the hub's main green thread ended). */
    public boolean isClosed() {
        return closeRequested;
    }

    /**
     * Kills every green thread of this hub (each gets {@link GreenThreadExit}; later blocking
     * calls in them raise it again), waits for them to end, then stops the loop and releases the
     * poller. From a green thread of this hub it only starts the shutdown: the caller is killed at
     * its next blocking point. Idempotent.
     */
    @Override
    public void close() {
        if (!closeRequested) {
            closeRequested = true;
            execute(this::beginClose);
        }
        if (!isOwnContext()) {
            awaitTermination();
        }
    }

    private void awaitTermination() {
        boolean interrupted = false;
        while (true) {
            try {
                terminated.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- scheduling entry point -------------------------------------------------------------

    /**
     * Makes {@code task} run on this hub's thread. Thread-safe, never blocks, never throws: this
     * is how the JDK makes a green thread of this hub runnable. Tasks from the hub's own thread
     * (or its green threads) run after those already queued.
     */
    @Override
    public void execute(Runnable task) {
        if (VirtualThreads.currentCarrier() == thread) {
            ready.addLast(task);
            return;
        }
        inbox.offer(task);
        if (wakeState == POLLING && WAKE_STATE.compareAndSet(this, POLLING, AWAKE)) {
            poller.wakeup();
        }
    }

    /** True while the loop runs (tasks given to {@link #execute} will run). */
    boolean isRunning() {
        return thread != null && !terminatedFlag;
    }

    /** True when the caller runs on this hub's thread: a green thread of this hub, or a timer callback. */
    boolean isOwnContext() {
        return VirtualThreads.currentCarrier() == thread;
    }

    private void ensureOpen() {
        if (closeRequested) {
            throw new IllegalStateException("hub " + name + " is closed");
        }
    }

    // ---- timers (hub thread) ----------------------------------------------------------------

    /** Schedules from the hub's own context; {@code nanos} must be non-negative. */
    Timer scheduleOwn(long nanos, Runnable action) {
        Timer t = new Timer(this, clock.nanoTime() + nanos, action);
        addTimer(t);
        return t;
    }

    private void addTimer(Timer t) {
        if (firingTimers) {
            // Timers scheduled by a firing callback wait for the next turn, so a callback that
            // reschedules itself with no delay cannot starve the loop.
            if (stagedTimers == null) {
                stagedTimers = new ArrayList<>();
            }
            stagedTimers.add(t);
        } else {
            timers.add(t);
        }
    }

    void timerCancelled(Timer t) {
        if (isOwnContext()) {
            timers.noteCancelled(t);
        } else {
            execute(() -> timers.noteCancelled(t));
        }
    }

    private static long delayNanos(Duration d) {
        // Far-future deadlines are clamped so deadline arithmetic never overflows (~73 years).
        return Math.min(Math.max(0, Timeout.saturatedNanos(d)), Long.MAX_VALUE / 4);
    }

    // ---- the green-thread registry (hub thread) ----------------------------------------------

    void register(GreenThread<?> g) {
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

    void unregister(GreenThread<?> g) {
        if (!g.registered) {
            return;
        }
        g.registered = false;
        GreenThread<?> p = g.prev;
        GreenThread<?> n = g.next;
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

    /** Live green threads, for diagnostics. Runs on the hub (waits for it); from its own context, directly. */
    public List<GreenThread<?>> greenThreads() {
        if (isOwnContext()) {
            return snapshotGreenThreads();
        }
        var result = new java.util.concurrent.CompletableFuture<List<GreenThread<?>>>();
        execute(() -> result.complete(snapshotGreenThreads()));
        while (true) {
            try {
                return result.get(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (terminatedFlag) {
                    return List.of();   // the loop ended before it could answer
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    private List<GreenThread<?>> snapshotGreenThreads() {
        List<GreenThread<?>> out = new ArrayList<>(live);
        for (GreenThread<?> g = head; g != null; g = g.next) {
            out.add(g);
        }
        return out;
    }

    /**
     * The green thread mounted on this hub's thread now, or null. Called by the blocking
     * detector's thread while the hub is stuck in one green thread; the registry is not changing
     * then (only green-thread start and end change it, on the hub's thread), and the links are
     * volatile, so the walk sees a consistent list.
     */
    GreenThread<?> mountedGreenThread() {
        Thread carrier = thread;
        for (GreenThread<?> g = head; g != null; g = g.next) {
            Thread t = g.thread;
            if (t != null && VirtualThreads.carrierOf(t) == carrier) {
                return g;
            }
        }
        return null;
    }

    long busySince() {
        return busySince;
    }

    Thread thread() {
        return thread;
    }

    // ---- channel readiness (hub thread) -----------------------------------------------------

    Poller poller() {
        return poller;
    }

    ChannelWaiters trampolineWaiters(SelectableChannel channel) throws IOException {
        ChannelWaiters w = trampolines.get(channel);
        if (w == null) {
            w = ChannelWaiters.register(this, channel);
            trampolines.put(channel, w);
        }
        return w;
    }

    void releaseTrampolineWaiters(SelectableChannel channel, ChannelWaiters w) {
        if (w.idle() && trampolines.remove(channel, w)) {
            w.cancel();
        }
    }

    /**
     * Wakes every green thread of every hub that waits in {@link Eventlet#trampoline} on
     * {@code channel}, with {@link java.nio.channels.AsynchronousCloseException}. From any thread;
     * waiters on other hubs are woken soon after it returns.
     */
    static void notifyClose(SelectableChannel channel) {
        for (Hub h : LIVE) {
            if (h.isOwnContext()) {
                h.closeTrampoline(channel);
            } else {
                h.execute(() -> h.closeTrampoline(channel));
            }
        }
    }

    private void closeTrampoline(SelectableChannel channel) {
        ChannelWaiters w = trampolines.remove(channel);
        if (w != null) {
            w.close();
        }
    }

    // ---- the loop ---------------------------------------------------------------------------

    private void loop(GreenThread<?> main) {
        HUB_OF_PLATFORM_THREAD.set(this);
        LIVE.add(this);
        if (blockingThresholdNanos > 0) {
            BlockingDetector.watch(this, blockingThresholdNanos);
        }
        try {
            while (true) {
                runReady();
                fireTimers();
                if (main != null && main.isDone() && !closing) {
                    closeRequested = true;
                    beginClose();
                }
                if (closing && live == 0 && ready.isEmpty() && inbox.isEmpty()) {
                    break;
                }
                poll();
            }
        } catch (Throwable t) {
            log.error("hub {} stopped: its loop failed", name, t);
            throw t;
        } finally {
            closing = true;
            closeRequested = true;
            terminatedFlag = true;
            LIVE.remove(this);
            BlockingDetector.unwatch(this);
            HUB_OF_PLATFORM_THREAD.remove();
            try {
                poller.close();
            } catch (IOException | RuntimeException e) {
                log.warn("hub {}: closing its poller failed", name, e);
            }
            terminated.countDown();
            // Anything queued now belongs to green threads that outlived the hub; drop it.
            inbox.clear();
            ready.clear();
        }
    }

    private void runReady() {
        Runnable r;
        while ((r = inbox.poll()) != null) {
            ready.addLast(r);
        }
        // Only what is runnable now: a green thread that yields (sleep()) runs on the next turn,
        // after timers and I/O have had theirs.
        int n = ready.size();
        long count = 0;
        for (int i = 0; i < n; i++) {
            r = ready.pollFirst();
            if (blockingThresholdNanos > 0) {
                BUSY_SINCE.setOpaque(this, System.nanoTime());
                runTask(r);
                BUSY_SINCE.setOpaque(this, 0L);
            } else {
                runTask(r);
            }
            count++;
        }
        if (count > 0) {
            tasksRun += count;
        }
    }

    private void runTask(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            log.error("hub {}: a task failed", name, t);
        }
    }

    private void fireTimers() {
        if (timers.size() == 0) {
            return;   // no clock read on the hot path of timer-free switching
        }
        long now = clock.nanoTime();
        firingTimers = true;
        try {
            Timer t;
            long fired = 0;
            while ((t = timers.pollDue(now)) != null) {
                if (!t.claimForFiring()) {
                    continue;
                }
                fired++;
                if (blockingThresholdNanos > 0) {
                    BUSY_SINCE.setOpaque(this, System.nanoTime());
                }
                try {
                    t.action.run();
                } catch (Throwable e) {
                    log.error("hub {}: timer callback {} threw; the hub goes on", name, t.action, e);
                } finally {
                    if (blockingThresholdNanos > 0) {
                        BUSY_SINCE.setOpaque(this, 0L);
                    }
                }
            }
            if (fired > 0) {
                timersFired += fired;
            }
        } finally {
            firingTimers = false;
        }
        if (stagedTimers != null && !stagedTimers.isEmpty()) {
            for (Timer s : stagedTimers) {
                timers.add(s);
            }
            stagedTimers.clear();
        }
    }

    private void poll() {
        long timeout;
        if (!ready.isEmpty()) {
            timeout = 0;
        } else {
            long deadline = timers.nextDeadline();
            timeout = deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - clock.nanoTime());
        }
        if (timeout == 0) {
            // Nothing to announce: other threads need not wake a hub that does not block.
            if (poller.registrations() > 0) {
                pollQuietly(0);
            }
            return;
        }
        WAKE_STATE.setVolatile(this, POLLING);
        // Announce, then look again: a task offered before the announcement is seen here, one
        // offered after it sees POLLING and wakes the poller (Dekker-style, both sides volatile).
        pollQuietly(inbox.isEmpty() ? timeout : 0);
        wakeState = AWAKE;
    }

    private void pollQuietly(long timeout) {
        try {
            poller.poll(timeout);
            polls++;
        } catch (IOException e) {
            log.error("hub {}: poll failed", name, e);
        }
    }

    private void beginClose() {
        closing = true;
        for (GreenThread<?> g = head; g != null; ) {
            GreenThread<?> next = g.next;
            g.killForClose();
            g = next;
        }
        for (ChannelWaiters w : new ArrayList<>(trampolines.values())) {
            w.close();
        }
        trampolines.clear();
    }

    @Override
    public String toString() {
        return "Hub[" + name + ", " + providerName + ", " + live + " green threads]";
    }
}
