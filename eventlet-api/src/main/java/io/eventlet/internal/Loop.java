package io.eventlet.internal;

import io.eventlet.spi.HubProvider;
import io.eventlet.spi.Poller;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectableChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one event loop (eventlet's hub proper): on one platform thread it runs the green threads
 * that are ready, fires the timers that are due, then waits for I/O readiness in its
 * {@link Poller} until the next timer (not at all when something is ready). It is the scheduler
 * of its green threads' virtual threads: the JDK makes one runnable by calling {@link #execute}.
 * The public {@link io.eventlet.Hub} is a façade on one loop ({@link #facade()}).
 *
 * <h2>Threading</h2>
 * {@link #execute}, {@link #schedule}, {@link #start}, {@link #startAfter}, {@link #requestClose},
 * {@link #awaitTermination}, {@link #notifyClose}, {@link #greenlets} and the queries are
 * thread-safe; {@link #scheduleOwn} and the trampoline waiters are for the loop's own thread (its
 * green threads and timer callbacks), which is what {@link #isOwnContext()} tells. Green threads
 * of one loop never run in parallel with each other or with its timer callbacks.
 */
public final class Loop implements Executor {
    private static final Logger log = LoggerFactory.getLogger("io.eventlet.Hub");
    private static final ThreadLocal<Loop> LOOP_OF_PLATFORM_THREAD = new ThreadLocal<>();
    /** Loops that run now: {@link #notifyClose} looks for trampolines in each. */
    private static final Set<Loop> LIVE = ConcurrentHashMap.newKeySet();

    private static final int AWAKE = 0;
    private static final int POLLING = 1;
    private static final VarHandle WAKE_STATE;
    private static final VarHandle BUSY_SINCE;
    private static final VarHandle TASKS_RUN;
    private static final VarHandle TIMERS_FIRED;
    private static final VarHandle POLLS;
    private static final VarHandle RUNNABLE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAKE_STATE = l.findVarHandle(Loop.class, "wakeState", int.class);
            BUSY_SINCE = l.findVarHandle(Loop.class, "busySince", long.class);
            TASKS_RUN = l.findVarHandle(Loop.class, "tasksRun", long.class);
            TIMERS_FIRED = l.findVarHandle(Loop.class, "timersFired", long.class);
            POLLS = l.findVarHandle(Loop.class, "polls", long.class);
            RUNNABLE = l.findVarHandle(Loop.class, "runnable", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final String providerName;
    private final Poller poller;
    private final NanoClock clock;
    /**
     * Makes green threads named {@code <hub>-green-<n>}, numbered per loop from 1. The name is
     * given to the thread's constructor: the JDK's factory counts with one atomic add and builds
     * the name with one concatenation (one byte array and one String), which is the
     * whole cost. The JDK has no lazy thread name (dumps, JFR and loggers read the field), and
     * naming later with {@code setName} would cost a monitor and a second volatile store on top
     * of the constructor's, so the default name is built here, once, in the cheapest form.
     */
    private final ThreadFactory factory;
    /** Makes unnamed green threads, for an explicit name set before the thread starts. */
    private final ThreadFactory unnamedFactory;
    private final TimerHeap timers = new TimerHeap();
    private final ArrayDeque<Runnable> ready = new ArrayDeque<>(256);
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Map<SelectableChannel, ChannelWaiters> trampolines = new IdentityHashMap<>();
    final Registry registry = new Registry();
    private Object facade;

    private volatile Thread thread;
    private volatile int wakeState;
    /** When the current task or timer callback began, 0 when idle; written only while detection is on. */
    private volatile long busySince;
    volatile boolean closing;
    private volatile boolean closeRequested;
    private volatile boolean terminatedFlag;

    // Hub-thread state.
    private ArrayList<ScheduledCall> stagedTimers;
    /**
     * The continuations of green threads in {@link #yieldTurn}, oldest first, with their stamps:
     * zero-delay timers kept out of the heap. The stamps only grow, so the FIFO is already in
     * deadline order; {@link #fireTimers} merges it with the heap, and a yield costs no heap
     * insertion, no allocation and no park. Loop thread only.
     */
    private final YieldQueue yields = new YieldQueue();
    private static final long NOT_YIELDING = Long.MIN_VALUE;
    /**
     * The stamp of a yield made while the heap was empty: no timer can be due before it, and any
     * timer added later is due after it, so it needs no clock read (~20 ns a yield).
     */
    private static final long BEFORE_EVERY_TIMER = Long.MIN_VALUE + 1;
    /** The stamp of the green thread in {@link #yieldTurn} until its continuation comes back. */
    private long yieldingSince = NOT_YIELDING;
    private boolean firingTimers;
    // Statistics: written by the hub thread once per turn, read by anyone. Opaque on both sides:
    // on x86 and ARM an opaque access is a plain load or store (no fence), but the compiler may
    // neither keep the hub's count in a register nor hoist a reader's load out of its polling
    // loop, so a reader sees each counter move on. No lock: a stale value by one turn is fine
    // for statistics, and 64-bit JVMs (the only ones JDK 25 ships) never tear a long.
    private long tasksRun;
    private long timersFired;
    private long polls;
    /** Tasks runnable when the latest turn began: the hub's backlog. */
    private int runnable;

    private Loop(String name, HubProvider provider, NanoClock clock) throws IOException {
        this.name = name;
        this.providerName = provider.name();
        this.clock = clock;
        this.factory = VirtualThreads.factory(this, name + "-green-");
        this.unnamedFactory = VirtualThreads.factory(this);
        this.poller = provider.open();
    }

    // ---- making loops ---------------------------------------------------------------------

    /**
     * Opens a loop with a poller of {@code provider}; it runs once {@link #startThread} or
     * {@link #runHere} gives it a thread.
     *
     * @throws IllegalStateException naming the flag when virtual threads with a custom
     *     scheduler are not accessible
     * @throws UncheckedIOException when the poller cannot be opened
     */
    public static Loop open(String name, HubProvider provider, NanoClock clock) {
        JvmFlags.check(provider);
        VirtualThreads.ensureAccessible();
        try {
            return new Loop(name, provider, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a poller of hub '" + provider.name() + "': " + e.getMessage(), e);
        }
    }

    /** Sets the public façade, once, before the loop runs. */
    public void setFacade(Object f) {
        if (facade != null) {
            throw new IllegalStateException("a loop has one façade");
        }
        facade = f;
    }

    /** The public {@link io.eventlet.Hub} of this loop. */
    public Object facade() {
        return facade;
    }

    /** Runs the loop on a new daemon platform thread named after the loop. */
    public void startThread() {
        Thread t = Thread.ofPlatform().daemon().name(name).unstarted(() -> loop(null));
        thread = t;
        t.start();
    }

    /**
     * Runs the loop on the calling platform thread until {@code main} has ended and every other
     * green thread has been killed and has ended.
     */
    public void runHere(Greenlet main) {
        thread = Thread.currentThread();
        start(main);
        loop(main);
    }

    /** The loop running the caller: its green thread's, or the one whose thread runs a timer callback; else null. */
    public static Loop ofCaller() {
        Greenlet g = Greenlet.current();
        if (g != null) {
            return g.loop;
        }
        return LOOP_OF_PLATFORM_THREAD.get();
    }

    /**
     * Throws when the caller is a loop's own thread (a timer callback), where nothing may block;
     * the operation, {@code verb + subject}, is made into text only then. Called only by
     * {@link Wait#greenCaller(String, Object)}, the one place that tells who waits.
     */
    static void checkNotLoopThread(String verb, Object subject) {
        Loop l = LOOP_OF_PLATFORM_THREAD.get();
        if (l != null) {
            String what = subject == null ? verb : verb + subject;
            throw new IllegalStateException("cannot " + what + " on the thread of hub " + l.name
                    + " (a timer callback): do not call blocking functions from the hub's loop; spawn a green thread instead");
        }
    }

    /** The loops whose thread runs now, in no particular order. */
    public static List<Loop> running() {
        return List.copyOf(LIVE);
    }

    // ---- queries --------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public String providerName() {
        return providerName;
    }

    /** The clock of this loop's timers; deadlines on this loop are read from it. */
    public NanoClock clock() {
        return clock;
    }

    /** True once {@link #requestClose} has been called, or the main green thread ended. */
    public boolean isCloseRequested() {
        return closeRequested;
    }

    /** True while the loop runs (tasks given to {@link #execute} will run). */
    public boolean isRunning() {
        return thread != null && !terminatedFlag;
    }

    /** True when the caller runs on this loop's thread: one of its green threads, or a timer callback. */
    public boolean isOwnContext() {
        return VirtualThreads.currentCarrier() == thread;
    }

    /** Live green threads; from any thread. */
    public int greenThreadCount() {
        return registry.sizeFromAnyThread();
    }

    /** Pending timers; from any thread. */
    public int timerCount() {
        return timers.liveFromAnyThread();
    }

    /** Tasks run so far (a monotonic counter); from any thread. */
    public long tasksRun() {
        return (long) TASKS_RUN.getOpaque(this);
    }

    /** Timers fired so far (a monotonic counter); from any thread. */
    public long timersFired() {
        return (long) TIMERS_FIRED.getOpaque(this);
    }

    /** Calls to the poller so far (a monotonic counter); from any thread. */
    public long polls() {
        return (long) POLLS.getOpaque(this);
    }

    /**
     * Tasks that were runnable when the latest turn began (a gauge); from any thread.
     *
     * @return the backlog of the latest turn
     */
    public int runnable() {
        return (int) RUNNABLE.getOpaque(this);
    }

    Poller poller() {
        return poller;
    }

    long busySince() {
        return busySince;
    }

    Thread thread() {
        return thread;
    }

    /** The green thread mounted on this loop's thread now, or null (for the blocking detector). */
    Greenlet mountedGreenlet() {
        return registry.mountedOn(thread);
    }

    /** Live green threads. Runs on the loop (waits for it); from its own context, directly. */
    public List<Greenlet> greenlets() {
        if (isOwnContext()) {
            return registry.snapshot();
        }
        var result = new java.util.concurrent.CompletableFuture<List<Greenlet>>();
        execute(() -> result.complete(registry.snapshot()));
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

    // ---- green threads --------------------------------------------------------------------

    /** Starts {@code g}: it runs after the green threads already ready. */
    public void start(Greenlet g) {
        start(g, null);
    }

    /**
     * Starts {@code g} as a thread named {@code name}.
     *
     * @param g the green thread to start
     * @param name its thread's name; null for the loop's default, {@code <loop>-green-<n>}
     */
    public void start(Greenlet g, String name) {
        ensureOpen();
        Thread t = newThread(g, name);
        g.thread = t;
        g.markQueued();
        t.start();
    }

    /**
     * The unstarted thread of {@code g}, for a {@code ThreadFactory}: whoever starts it, from any
     * thread, makes it runnable on this loop (the JDK hands its first run to {@link #execute}).
     *
     * @param g the greenlet whose thread it is (its {@code thread} is set)
     * @param name its name, or null for the loop's default green-thread name
     * @return the unstarted virtual thread
     * @throws IllegalStateException when the loop is closed
     */
    public Thread unstarted(Greenlet g, String name) {
        ensureOpen();
        Thread t = newThread(g, name);
        g.thread = t;
        return t;
    }

    /** Starts {@code g} after {@code delayNanos} ({@link Wait#clamp clamped}); cancelling its start timer means it never runs. */
    public void startAfter(Greenlet g, long delayNanos) {
        startAfter(g, null, delayNanos);
    }

    /**
     * {@link #startAfter(Greenlet, long)} as a thread named {@code name}.
     *
     * @param g the green thread to start
     * @param name its thread's name; null for the loop's default, {@code <loop>-green-<n>}
     * @param delayNanos the delay before it starts
     */
    public void startAfter(Greenlet g, String name, long delayNanos) {
        ensureOpen();
        g.thread = newThread(g, name);
        Runnable starter = () -> {
            g.markQueued();
            g.thread.start();
        };
        if (isOwnContext()) {
            registry.register(g);
            g.startTimer = scheduleOwn(delayNanos, starter);
        } else {
            ScheduledCall timer = new ScheduledCall(this, clock.nanoTime() + delayNanos, starter);
            g.startTimer = timer;
            execute(() -> {
                registry.register(g);
                addTimer(timer);
            });
        }
    }

    private Thread newThread(Greenlet g, String name) {
        if (name == null) {
            return factory.newThread(g::body);
        }
        Thread t = unnamedFactory.newThread(g::body);
        t.setName(name);
        return t;
    }

    private void ensureOpen() {
        if (closeRequested) {
            throw new IllegalStateException("hub " + name + " is closed");
        }
    }

    // ---- scheduling entry point -------------------------------------------------------------

    /**
     * Makes {@code task} run on this loop's thread. Thread-safe, never blocks, never throws: this
     * is how the JDK makes a green thread of this loop runnable. Tasks from the loop's own thread
     * (or its green threads) run after those already queued.
     */
    @Override
    public void execute(Runnable task) {
        if (VirtualThreads.currentCarrier() == thread) {
            if (yieldingSince != NOT_YIELDING) {
                // The continuation of the green thread in yieldTurn, handed back by Thread.yield
                // once it unmounted: it waits for the timers due when it yielded.
                yields.add(task, yieldingSince);
                yieldingSince = NOT_YIELDING;
                return;
            }
            ready.addLast(task);
            return;
        }
        inbox.offer(task);
        if (wakeState == POLLING && WAKE_STATE.compareAndSet(this, POLLING, AWAKE)) {
            poller.wakeup();
        }
    }

    // ---- timers -----------------------------------------------------------------------------

    /**
     * Schedules {@code action} after {@code nanos} (non-negative, {@link Wait#clamp clamped}) from
     * the loop's own context: no hand-off.
     */
    public ScheduledCall scheduleOwn(long nanos, Runnable action) {
        ScheduledCall t = new ScheduledCall(this, clock.nanoTime() + nanos, action);
        addTimer(t);
        return t;
    }

    /** Schedules from any thread; ties fire in scheduling order. */
    public ScheduledCall schedule(long nanos, Runnable action) {
        if (isOwnContext()) {
            return scheduleOwn(nanos, action);
        }
        ScheduledCall timer = new ScheduledCall(this, clock.nanoTime() + nanos, action);
        execute(() -> addTimer(timer));
        return timer;
    }

    private void addTimer(ScheduledCall t) {
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

    void timerCancelled(ScheduledCall t) {
        if (isOwnContext()) {
            timers.noteCancelled(t);
        } else {
            execute(() -> timers.noteCancelled(t));
        }
    }

    // ---- channel readiness (loop thread) ----------------------------------------------------

    /** The waiters of a raw channel that {@code Eventlet.trampoline} waits on. */
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
     * Wakes every green thread of every loop that waits in a trampoline on {@code channel}, with
     * {@link java.nio.channels.AsynchronousCloseException}. From any thread; waiters on other
     * loops are woken soon after it returns.
     */
    public static void notifyClose(SelectableChannel channel) {
        for (Loop l : LIVE) {
            if (l.isOwnContext()) {
                l.closeTrampoline(channel);
            } else {
                l.execute(() -> l.closeTrampoline(channel));
            }
        }
    }

    private void closeTrampoline(SelectableChannel channel) {
        ChannelWaiters w = trampolines.remove(channel);
        if (w != null) {
            w.close();
        }
    }

    // ---- closing ----------------------------------------------------------------------------

    /**
     * Starts the close once: every green thread is killed, and the loop stops when they have
     * ended. From any thread.
     */
    public void requestClose() {
        if (!closeRequested) {
            closeRequested = true;
            execute(this::beginClose);
        }
    }

    /** Waits, uninterruptibly (the interrupt status is kept), until the loop has stopped. */
    public void awaitTermination() {
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

    private void beginClose() {
        closing = true;
        registry.killAllForClose();
        for (ChannelWaiters w : new ArrayList<>(trampolines.values())) {
            w.close();
        }
        trampolines.clear();
    }

    // ---- the loop ---------------------------------------------------------------------------

    private void loop(Greenlet main) {
        LOOP_OF_PLATFORM_THREAD.set(this);
        LIVE.add(this);
        BlockingDetector.watch(this);
        try {
            while (true) {
                runReady();
                fireTimers();
                if (main != null && main.isDone() && !closing) {
                    closeRequested = true;
                    beginClose();
                }
                if (closing && registry.size() == 0 && ready.isEmpty() && inbox.isEmpty()) {
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
            LOOP_OF_PLATFORM_THREAD.remove();
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
        // Read once a turn: a JFR recording may switch detection on or off at any time.
        boolean stamp = BlockingDetector.isOn();
        if (n != runnable) {
            RUNNABLE.setOpaque(this, n);   // no store on the turns that change nothing
        }
        long count = 0;
        for (int i = 0; i < n; i++) {
            r = ready.pollFirst();
            if (stamp) {
                BUSY_SINCE.setOpaque(this, System.nanoTime());
                runTask(r);
                BUSY_SINCE.setOpaque(this, 0L);
            } else {
                runTask(r);
            }
            count++;
        }
        if (count > 0) {
            TASKS_RUN.setOpaque(this, tasksRun + count);
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
            if (!yields.isEmpty()) {
                releaseYields();
            }
            return;   // no clock read on the hot path of timer-free switching
        }
        long now = clock.nanoTime();
        boolean stamp = BlockingDetector.isOn();
        firingTimers = true;
        try {
            ScheduledCall t;
            long fired = 0;
            while (true) {
                boolean yielded = !yields.isEmpty();
                if (yielded) {
                    // A yield is a timer due at its stamp: it goes after timers due at or
                    // before that instant and before the later ones (all stamps are <= now).
                    long next = timers.nextDeadline();
                    long yieldStamp = yields.firstStamp();
                    if (next == Long.MAX_VALUE || yieldStamp == BEFORE_EVERY_TIMER || next - yieldStamp > 0) {
                        ready.addLast(yields.poll());
                        continue;
                    }
                }
                if ((t = timers.pollDue(now)) == null) {
                    if (!yielded) {
                        break;
                    }
                    // The heap's earliest is not due by now, though not after the yield's stamp:
                    // only a clock that went back (a test's) does that. The yield goes now.
                    ready.addLast(yields.poll());
                    continue;
                }
                if (!t.claimForFiring()) {
                    continue;
                }
                fired++;
                if (stamp) {
                    BUSY_SINCE.setOpaque(this, System.nanoTime());
                }
                try {
                    t.action.run();
                } catch (Throwable e) {
                    log.error("hub {}: timer callback {} threw; the hub goes on", name, t.action, e);
                } finally {
                    if (stamp) {
                        BUSY_SINCE.setOpaque(this, 0L);
                    }
                }
            }
            if (fired > 0) {
                TIMERS_FIRED.setOpaque(this, timersFired + fired);
            }
        } finally {
            firingTimers = false;
        }
        if (stagedTimers != null && !stagedTimers.isEmpty()) {
            for (ScheduledCall s : stagedTimers) {
                timers.add(s);
            }
            stagedTimers.clear();
        }
    }

    private void releaseYields() {
        while (!yields.isEmpty()) {
            ready.addLast(yields.poll());
        }
    }

    /**
     * Eventlet's {@code sleep(0)} for {@code g}, the current green thread of this loop: it
     * resumes after the green threads already runnable, after every timer due by the time it
     * yielded (in deadline order with them, as a zero-delay timer would be), and before the I/O
     * of the turn. A kill or timeout ends the yield early.
     */
    void yieldTurn(Greenlet g) {
        // Thread.yield unmounts the thread and hands its continuation to execute(), on this
        // thread, which sees the stamp and queues it with the yields. A park and unpark instead
        // cost ~100 ns more per yield (YieldBenchmark, bench-results/jmh-issue13.txt). A yield the
        // JDK refuses (a pinned thread) returns at once and leaves the stamp, which is cleared
        // here so that no other task is taken for it.
        yieldingSince = timers.size() == 0 ? BEFORE_EVERY_TIMER : clock.nanoTime();
        g.inGreenSuspend = true;   // a timeout expiring meanwhile is posted, not an interrupt
        try {
            Thread.yield();
        } finally {
            g.inGreenSuspend = false;
            yieldingSince = NOT_YIELDING;
        }
        g.checkPending();
    }

    /**
     * A FIFO of continuations and their stamps in two parallel rings: no allocation per entry.
     * Loop thread only.
     */
    private static final class YieldQueue {
        private Runnable[] tasks = new Runnable[16];
        private long[] stamps = new long[16];
        private int head;
        private int size;

        boolean isEmpty() {
            return size == 0;
        }

        void add(Runnable task, long stamp) {
            if (size == tasks.length) {
                grow();
            }
            int i = (head + size) & (tasks.length - 1);
            tasks[i] = task;
            stamps[i] = stamp;
            size++;
        }

        long firstStamp() {
            return stamps[head];
        }

        Runnable poll() {
            Runnable r = tasks[head];
            tasks[head] = null;
            head = (head + 1) & (tasks.length - 1);
            size--;
            return r;
        }

        private void grow() {
            int n = tasks.length;
            Runnable[] t = new Runnable[n * 2];
            long[] s = new long[n * 2];
            for (int i = 0; i < size; i++) {
                t[i] = tasks[(head + i) & (n - 1)];
                s[i] = stamps[(head + i) & (n - 1)];
            }
            tasks = t;
            stamps = s;
            head = 0;
        }
    }

    private void poll() {
        long timeout;
        if (!ready.isEmpty() || !yields.isEmpty()) {
            timeout = 0;
        } else {
            long deadline = timers.nextDeadline();
            timeout = deadline == Long.MAX_VALUE ? -1 : Math.max(0, deadline - clock.nanoTime());
        }
        if (timeout == 0) {
            // Nothing to announce: other threads need not wake a loop that does not block.
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
            POLLS.setOpaque(this, polls + 1);
        } catch (IOException e) {
            log.error("hub {}: poll failed", name, e);
        }
    }

    @Override
    public String toString() {
        return "Hub[" + name + ", " + providerName + ", " + registry.size() + " green threads]";
    }
}
