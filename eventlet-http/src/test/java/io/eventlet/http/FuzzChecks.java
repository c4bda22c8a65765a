package io.eventlet.http;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.ToIntFunction;

/**
 * The checks every fuzz test of a parser or decoder makes, in one place: feed it bytes and assert
 * that it
 * <ul>
 *   <li>returns, or throws only the expected exception type with one of the allowed statuses
 *       (anything else — a NullPointerException, an IndexOutOfBounds, a wrong status — fails);</li>
 *   <li>allocates at most {@code fixed + perInputByte × input length} bytes on its thread
 *       (so a declared length or a chunk size cannot make it reserve memory the bytes did not
 *       bring);</li>
 *   <li>ends: the parse runs on a worker thread that is given {@link #timeLimit} and then
 *       abandoned with its stack trace in the failure, and {@link #endingStream} fails a reader
 *       that keeps reading after the end instead of giving up.</li>
 * </ul>
 *
 * <p>Usage from a {@code @FuzzTest}:
 * <pre>{@code
 * private static final FuzzChecks CHECKS = FuzzChecks.rejecting(HttpException.class, HttpException::status, 400, 413, 431);
 *
 * @FuzzTest
 * void chunkedBody(byte[] input) {
 *     CHECKS.check(input, bytes -> Http1.parseRequestLine(new String(bytes, StandardCharsets.ISO_8859_1)));
 * }
 * }</pre>
 *
 * <p>Allocation slack: the bytes are counted by
 * {@code com.sun.management.ThreadMXBean.getCurrentThreadAllocatedBytes()} on the worker thread
 * around the parse alone: exactly what the thread allocated, including the exception the parser
 * throws and its stack trace (a few KiB under JUnit's and Jazzer's deep stacks). The first run of a code path also links lambdas and string
 * concatenations and loads classes, hundreds of KiB once; so an input over the bound is parsed a
 * second time and fails only when the warm run is over it too. The default fixed slack,
 * {@value #DEFAULT_FIXED_ALLOCATION} bytes, covers one connection read buffer ({@link io.eventlet.http.internal.Buffers#SIZE})
 * plus the exception; the default {@value #DEFAULT_PER_INPUT_BYTE} bytes per input byte cover
 * a line's StringBuilder growth and its String copy. While Jazzer fuzzes ({@code JAZZER_FUZZ}
 * set), its comparison hooks (on {@code String.equals}, {@code startsWith}, {@code Long.parseLong}
 * and the like, which feed the fuzzer's dictionary) allocate on the parse's thread too: a 612-byte
 * input of many short chunks measured 157,680 bytes fuzzing and passes the plain bound in a
 * regression run. So the bound is {@value #FUZZING_ALLOCATION_FACTOR} times larger then, which
 * still catches what the check is for: an allocation sized by a declared length rather than by
 * the bytes that came.
 *
 * <p>Thread-safe: immutable; concurrent {@link #check}s take turns on the one worker thread.
 */
public final class FuzzChecks {
    /** A parse of {@code input}: whatever it returns is ignored, what it throws is judged. */
    @FunctionalInterface
    public interface Parse {
        void parse(byte[] input) throws Exception;
    }

    static final long DEFAULT_FIXED_ALLOCATION = 128 * 1024;
    static final long DEFAULT_PER_INPUT_BYTE = 16;
    /** How much more a parse may allocate while Jazzer's hooks run beside it (see the class comment). */
    static final long FUZZING_ALLOCATION_FACTOR = 8;
    /** Whether Jazzer fuzzes in this JVM (its JUnit integration's own switch). */
    static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty();
    static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(5);
    /** Reads after the end a well-behaved reader needs at most (a few layers each asking once). */
    static final int READS_AFTER_END_ALLOWED = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private final Class<? extends Throwable> rejection;
    private final ToIntFunction<Throwable> statusOf;
    private final int[] allowedStatuses;
    private final long fixedAllocation;
    private final long perInputByte;
    private final Duration timeLimit;

    private FuzzChecks(Class<? extends Throwable> rejection, ToIntFunction<Throwable> statusOf, int[] allowedStatuses,
                       long fixedAllocation, long perInputByte, Duration timeLimit) {
        this.rejection = rejection;
        this.statusOf = statusOf;
        this.allowedStatuses = allowedStatuses;
        this.fixedAllocation = fixedAllocation;
        this.perInputByte = perInputByte;
        this.timeLimit = timeLimit;
    }

    /**
     * Checks that accept a parse that returns or throws {@code type} whose {@code status} is one
     * of {@code allowed}; with the default allocation bound and time limit.
     */
    public static <E extends Throwable> FuzzChecks rejecting(Class<E> type, ToIntFunction<? super E> status, int... allowed) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(status, "status");
        if (allowed.length == 0) {
            throw new IllegalArgumentException("no allowed status for " + type.getName());
        }
        ToIntFunction<Throwable> statusOf = t -> status.applyAsInt(type.cast(t));
        int[] sorted = allowed.clone();
        Arrays.sort(sorted);
        return new FuzzChecks(type, statusOf, sorted, DEFAULT_FIXED_ALLOCATION, DEFAULT_PER_INPUT_BYTE, DEFAULT_TIME_LIMIT);
    }

    /** The same checks with a parse allowed {@code fixed + perInputByte × input.length} bytes of allocation. */
    public FuzzChecks allocationAtMost(long fixed, long perInputByte) {
        if (fixed < 0 || perInputByte < 0) {
            throw new IllegalArgumentException("allocation bounds must not be negative: " + fixed + ", " + perInputByte);
        }
        return new FuzzChecks(rejection, statusOf, allowedStatuses, fixed, perInputByte, timeLimit);
    }

    /** The same checks with a parse given {@code limit} to end. */
    public FuzzChecks timeLimit(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive: " + limit);
        }
        return new FuzzChecks(rejection, statusOf, allowedStatuses, fixedAllocation, perInputByte, limit);
    }

    /** The allocation bound for an input of {@code length} bytes. */
    long allocationBound(int length) {
        return (fixedAllocation + perInputByte * length) * (FUZZING ? FUZZING_ALLOCATION_FACTOR : 1);
    }

    /**
     * Runs {@code parse} on {@code input} and fails with an {@link AssertionError} that names the
     * input when it throws anything but an allowed rejection, allocates over the bound (twice
     * running), or does not end within the time limit.
     */
    public void check(byte[] input, Parse parse) {
        Outcome first = runOnWorker(input, parse);
        judgeThrown(input, first.thrown);
        if (first.allocated > allocationBound(input.length)) {
            Outcome warm = runOnWorker(input, parse);
            if (warm.allocated > allocationBound(input.length)) {
                throw new AssertionError("the parse of " + describe(input) + " allocated " + warm.allocated
                        + " bytes (first run " + first.allocated + "), over the bound of " + allocationBound(input.length)
                        + " = (" + fixedAllocation + " + " + perInputByte + " × " + input.length + ")"
                        + (FUZZING ? " × " + FUZZING_ALLOCATION_FACTOR + " while fuzzing" : ""));
            }
        }
    }

    private void judgeThrown(byte[] input, Throwable thrown) {
        if (thrown == null) {
            return;
        }
        if (!rejection.isInstance(thrown)) {
            throw new AssertionError("the parse of " + describe(input) + " threw " + thrown
                    + "; only " + rejection.getSimpleName() + " with status " + Arrays.toString(allowedStatuses) + " is allowed", thrown);
        }
        int status = statusOf.applyAsInt(thrown);
        if (Arrays.binarySearch(allowedStatuses, status) < 0) {
            throw new AssertionError("the parse of " + describe(input) + " was rejected with status " + status
                    + ", not one of " + Arrays.toString(allowedStatuses) + ": " + thrown, thrown);
        }
    }

    /** What one run did: bytes allocated by the parse and what it threw (null when it returned). */
    private record Outcome(long allocated, Throwable thrown) {
    }

    /** Guards {@link #worker}: checks take turns on it. */
    private static final Object WORKER_LOCK = new Object();
    /**
     * The thread parses run on, kept between checks (a thread per input would cost more than most
     * parses); replaced after a parse overran its time limit, which is abandoned on the old one.
     * A platform thread: the allocation counter is kept per platform thread.
     */
    private static ExecutorService worker;

    private Outcome runOnWorker(byte[] input, Parse parse) {
        synchronized (WORKER_LOCK) {
            if (worker == null) {
                worker = Executors.newSingleThreadExecutor(r -> {
                    Thread t = new Thread(r, "fuzz-parse");
                    t.setDaemon(true);   // an abandoned endless parse must not keep the JVM alive
                    return t;
                });
            }
            Thread[] running = new Thread[1];
            Future<Outcome> outcome = worker.submit(() -> {
                running[0] = Thread.currentThread();
                byte[] copy = input.clone();   // the parse may not scribble on the fuzzer's input
                long before = THREADS.getCurrentThreadAllocatedBytes();
                Throwable thrown = null;
                try {
                    parse.parse(copy);
                } catch (Throwable t) {
                    thrown = t;
                }
                long after = THREADS.getCurrentThreadAllocatedBytes();
                return new Outcome(after - before, thrown);
            });
            try {
                return outcome.get(timeLimit.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                Thread stuck = running[0];
                AssertionError hang = new AssertionError("the parse of " + describe(input) + " did not end within " + timeLimit
                        + "; the worker's stack at that moment is this error's stack trace");
                if (stuck != null) {
                    hang.setStackTrace(stuck.getStackTrace());
                }
                worker.shutdownNow();   // interrupts it; a loop that ignores that spins on, abandoned
                worker = null;
                throw hang;
            } catch (ExecutionException e) {
                throw new AssertionError("the fuzz check itself failed on " + describe(input), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while checking " + describe(input), e);
            }
        }
    }

    /** A short, printable form of an input for failure messages (Jazzer keeps the file itself). */
    static String describe(byte[] input) {
        StringBuilder s = new StringBuilder().append(input.length).append(" bytes \"");
        for (int i = 0; i < Math.min(input.length, 120); i++) {
            int b = input[i] & 0xff;
            switch (b) {
                case '\r' -> s.append("\\r");
                case '\n' -> s.append("\\n");
                case '"', '\\' -> s.append('\\').append((char) b);
                default -> {
                    if (b >= 0x20 && b < 0x7f) {
                        s.append((char) b);
                    } else {
                        s.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        return s.append(input.length > 120 ? "...\"" : "\"").toString();
    }

    /**
     * A stream of {@code bytes} that then reports the end, like a peer that sent them and closed;
     * a reader that asks again more than {@value #READS_AFTER_END_ALLOWED} times after the end
     * is looping on EOF, and gets an AssertionError instead of another -1.
     */
    public static InputStream endingStream(byte[] bytes) {
        return endingStream(bytes, Integer.MAX_VALUE);
    }

    /** Like {@link #endingStream(byte[])}, handing out at most {@code maxRead} bytes per read (a slow peer's pieces). */
    public static InputStream endingStream(byte[] bytes, int maxRead) {
        if (maxRead <= 0) {
            throw new IllegalArgumentException("maxRead must be positive: " + maxRead);
        }
        return new EndingStream(bytes, maxRead);
    }

    private static final class EndingStream extends InputStream {
        private final byte[] bytes;
        private final int maxRead;
        private int pos;
        private int readsAfterEnd;

        EndingStream(byte[] bytes, int maxRead) {
            this.bytes = bytes;
            this.maxRead = maxRead;
        }

        private int atEnd() {
            if (++readsAfterEnd > READS_AFTER_END_ALLOWED) {
                throw new AssertionError("read " + readsAfterEnd + " times after the end of the " + bytes.length
                        + " input bytes: the reader does not stop at EOF");
            }
            return -1;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : atEnd();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (pos >= bytes.length) {
                return atEnd();
            }
            int n = Math.min(Math.min(len, maxRead), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return bytes.length - pos;
        }

        @Override
        public void close() throws IOException {
            // Nothing to release; closing does not hide the end from a later read.
        }
    }
}
