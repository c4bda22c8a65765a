package io.eventlet.jnr;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Whether a native hub works in this JVM, found out by really exercising its native path and
 * remembered: the answer to {@code HubProvider.unavailabilityCause()} for every hub that calls the
 * system through JNR. A hub says only what is its own (its systems, its architecture check, what it
 * needs from the JVM, and the exercise, typically opening its poller and polling once); the order
 * of the checks, catching what fails, keeping it and the flag advice live here.
 *
 * {@snippet :
 * NativeProbe probe = NativeProbe.linux("epoll", "poll or selector")   // elsewhere: use one of these
 *         .architecture(EpollEvent::of)                                 // throws for an unknown os.arch
 *         .requires(ChannelFd::unavailabilityCause)                     // the sun.nio.ch export
 *         .exercise(() -> {
 *             try (EpollPoller poller = new EpollPoller()) {
 *                 poller.poll(0);
 *             }
 *         });
 * Optional<Throwable> cause = probe.unavailabilityCause();             // probed on the first call only
 * }
 *
 * <p>The checks run in this order, and the first that fails is the cause:
 * <ol>
 * <li>the operating system, from {@code os.name}: Linux for {@link #linux}, anything but Windows
 *     for {@link #posix} (the message names the system and the hubs to use instead);
 * <li>the {@link Builder#architecture architecture check}, given {@code os.arch}: what it throws;
 * <li>each {@link Builder#requires prerequisite} in turn: what it returns (or throws);
 * <li>the {@link Builder#exercise exercise}: what it throws, an {@link Exception} or a
 *     {@link LinkageError} such as the {@link NoClassDefFoundError} of missing JNR classes or the
 *     {@link UnsatisfiedLinkError} of a missing native stub.
 * </ol>
 * The cause is the {@link Throwable} itself, never a copy of its message, so its type and stack
 * trace survive. One exception: when the exercise failed because the JVM denied native access
 * (JDK 24 and later without {@value #NATIVE_ACCESS_FLAG}, once denial is the default or with
 * {@code --illegal-native-access=deny}), the cause is an {@link IllegalCallerException} that names
 * the flag to add, with the original failure as its own cause.
 *
 * <p>Flags: every native hub needs {@code --add-exports java.base/sun.nio.ch=ALL-UNNAMED}, to read
 * a channel's descriptor (its prerequisite, eventlet-api's {@code ChannelFd.unavailabilityCause()},
 * names the flag when it is missing; that check is not copied here), and
 * {@value #NATIVE_ACCESS_FLAG}, for JNR's native stub (JDK 25 only warns without it; the probe
 * names it when the JVM denies native access).
 *
 * <p>Loading this class, building a probe and asking its {@link #hub()} touch no native code and
 * need no JNR class: only the exercise does. A provider keeps its probe in a holder class that also
 * catches the {@link LinkageError} of a missing eventlet-jnr, so that the provider itself loads and
 * answers its name with none of the native jars present.
 *
 * <p>Thread-safe. {@link #unavailabilityCause()} runs the checks at most once per probe, however
 * many threads ask at once: the first caller runs them, the others wait for its answer, and every
 * caller gets the same {@link Optional} (and the same {@link Throwable}) from then on. {@link
 * #probe(String, String)} runs them again on every call, for testing other systems. A
 * {@link Builder} is not thread-safe.
 */
public final class NativeProbe {
    /** The JVM flag that lets JNR, on the class path, load its native stub. */
    public static final String NATIVE_ACCESS_FLAG = "--enable-native-access=ALL-UNNAMED";

    /**
     * The native path of a hub, run once to prove it works: returns normally, or throws why not.
     * It must make real calls (open the poller, poll once): binding alone proves nothing, as JNR
     * hands out a binding even without its native stub and only its calls throw.
     */
    @FunctionalInterface
    public interface Exercise {
        void run() throws Exception;
    }

    private final String hub;
    private final boolean linuxOnly;
    private final String otherHubs;
    private final Consumer<String> architecture;
    private final List<Supplier<Optional<Throwable>>> prerequisites;
    private final Exercise exercise;

    /** Set once, under {@code this}; volatile so that later callers read it without the lock. */
    private volatile Optional<Throwable> cause;

    private NativeProbe(Builder b, Exercise exercise) {
        this.hub = b.hub;
        this.linuxOnly = b.linuxOnly;
        this.otherHubs = b.otherHubs;
        this.architecture = b.architecture;
        this.prerequisites = List.copyOf(b.prerequisites);
        this.exercise = Objects.requireNonNull(exercise, "exercise");
    }

    /**
     * The JVM flags JNR needs that this JVM lacks, each spelled for where the code that needs it
     * lives (a module name on the module path, {@code ALL-UNNAMED} on the class path): native
     * access for jffi (JNR's native stub: JDK 25 only warns without it, later JDKs deny), and on
     * the module path {@code --add-modules org.objectweb.asm}, which nothing else resolves and
     * without which JNR cannot generate its bindings. A provider adds eventlet-api's
     * {@code ChannelFd.missingFlag()} (the {@code sun.nio.ch} export) and returns the two from
     * {@code HubProvider.missingJvmFlags()}. Touches no native code.
     *
     * @return the missing flags, in the order they go on a command line; empty when none is missing
     */
    public static List<String> missingJvmFlags() {
        List<String> missing = new ArrayList<>();
        nativeAccessEnabled().ifPresent(m -> missing.add("--enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED")));
        if (NativeProbe.class.getModule().isNamed() && ModuleLayer.boot().findModule("org.objectweb.asm").isEmpty()) {
            missing.add("--add-modules org.objectweb.asm");
        }
        return List.copyOf(missing);
    }

    /**
     * A probe for a Linux-only hub.
     *
     * @param hub the hub's name, as in {@code -Deventlet.hub=NAME}
     * @param otherHubs what to use elsewhere, for the message: {@code "poll or selector"}
     */
    public static Builder linux(String hub, String otherHubs) {
        return new Builder(hub, true, otherHubs);
    }

    /**
     * A probe for a hub of any POSIX system (all but Windows).
     *
     * @param hub the hub's name, as in {@code -Deventlet.hub=NAME}
     * @param otherHubs what to use on Windows, for the message: {@code "selector"}
     */
    public static Builder posix(String hub, String otherHubs) {
        return new Builder(hub, false, otherHubs);
    }

    /** The hub's name. */
    public String hub() {
        return hub;
    }

    /**
     * Empty when the hub works in this JVM (this {@code os.name} and {@code os.arch}); otherwise
     * why not. Probed on the first call only; every call returns the same answer.
     */
    public Optional<Throwable> unavailabilityCause() {
        Optional<Throwable> answer = cause;
        if (answer == null) {
            synchronized (this) {
                answer = cause;
                if (answer == null) {
                    answer = probe(System.getProperty("os.name", "?"), System.getProperty("os.arch", "?"));
                    cause = answer;
                }
            }
        }
        return answer;
    }

    /**
     * Whether this hub's operating system is this one (Linux for a Linux-only hub, anything but
     * Windows for a POSIX one): a hub that cannot run here needs no flags, and asking a user for
     * them would only lead to the next failure.
     *
     * @return true when the system check of {@link #probe} passes here
     */
    public boolean fitsThisSystem() {
        String osName = System.getProperty("os.name", "?");
        return linuxOnly ? Os.isLinux(osName) : !Os.isWindows(osName);
    }

    /**
     * Runs every check now, as if on {@code osName}/{@code osArch}, and remembers nothing. The
     * exercise runs on this machine, so only the system and architecture checks can answer for
     * another one.
     */
    public Optional<Throwable> probe(String osName, String osArch) {
        if (linuxOnly && !Os.isLinux(osName)) {
            return Optional.of(new UnsupportedOperationException("the " + hub + " hub is Linux-only and this is " + osName
                    + "; use -Deventlet.hub=" + otherHubs));
        }
        if (!linuxOnly && Os.isWindows(osName)) {
            return Optional.of(new UnsupportedOperationException("the " + hub + " hub needs a POSIX system and this is " + osName
                    + "; use -Deventlet.hub=" + otherHubs));
        }
        try {
            architecture.accept(osArch);
        } catch (RuntimeException e) {
            return Optional.of(e);
        }
        for (Supplier<Optional<Throwable>> prerequisite : prerequisites) {
            try {
                Optional<Throwable> missing = prerequisite.get();
                if (missing.isPresent()) {
                    return missing;
                }
            } catch (RuntimeException | LinkageError e) {
                return Optional.of(e);
            }
        }
        try {
            exercise.run();
            return Optional.empty();
        } catch (Exception | LinkageError e) {
            return Optional.of(deniedNativeAccess(e, nativeAccessEnabled()).orElse(e));
        }
    }

    /**
     * When {@code failure} says the JVM refused native access and it is not enabled: an
     * {@link IllegalCallerException} naming the flag, caused by {@code failure}. jffi reports the
     * JDK's refusal inside an {@link UnsatisfiedLinkError}'s message, not always as a cause, so the
     * messages of the whole chain are read.
     */
    static Optional<Throwable> deniedNativeAccess(Throwable failure, Optional<Module> disabledFor) {
        if (disabledFor.isEmpty()) {
            return Optional.empty();
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof IllegalCallerException || (t.getMessage() != null && t.getMessage().contains("native access"))) {
                Module m = disabledFor.get();
                String flag = "--enable-native-access=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
                return Optional.of(new IllegalCallerException("this JVM denies native access to JNR's native stub (jffi, "
                        + (m.isNamed() ? "module " + m.getName() : "on the class path") + "); start it with " + flag, failure));
            }
        }
        return Optional.empty();
    }

    /**
     * Empty when jffi, which loads JNR's native stub, may call restricted methods (or is not
     * there to ask); otherwise its module.
     */
    private static Optional<Module> nativeAccessEnabled() {
        try {
            Module jffi = Class.forName("com.kenai.jffi.Foreign", false, NativeProbe.class.getClassLoader()).getModule();
            return jffi.isNativeAccessEnabled() ? Optional.empty() : Optional.of(jffi);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        Optional<Throwable> answer = cause;
        return "NativeProbe[" + hub + ", " + (answer == null ? "not probed yet" : answer.map(t -> "unavailable: " + t).orElse("available")) + "]";
    }

    /**
     * What a hub needs besides the system: set what applies, then {@link #exercise} makes the
     * probe. Not thread-safe; build once, in a provider's holder class.
     */
    public static final class Builder {
        private final String hub;
        private final boolean linuxOnly;
        private final String otherHubs;
        private Consumer<String> architecture = osArch -> { };
        private final List<Supplier<Optional<Throwable>>> prerequisites = new ArrayList<>();

        private Builder(String hub, boolean linuxOnly, String otherHubs) {
            this.hub = Objects.requireNonNull(hub, "hub");
            this.linuxOnly = linuxOnly;
            this.otherHubs = Objects.requireNonNull(otherHubs, "otherHubs");
        }

        /**
         * Checks {@code os.arch}: {@code check} returns normally for an architecture the hub knows
         * and throws (an {@link UnsupportedOperationException} naming it) for one it does not,
         * typically because a struct's layout differs. Any architecture by default.
         */
        public Builder architecture(Consumer<String> check) {
            this.architecture = Objects.requireNonNull(check, "check");
            return this;
        }

        /**
         * Adds a prerequisite, asked after the system and architecture checks and before the
         * exercise: empty when met, else why not. Pure Java checks of the JVM belong here, such as
         * eventlet-api's {@code ChannelFd::unavailabilityCause} for the {@code sun.nio.ch} export.
         */
        public Builder requires(Supplier<Optional<Throwable>> prerequisite) {
            prerequisites.add(Objects.requireNonNull(prerequisite, "prerequisite"));
            return this;
        }

        /** The probe, whose last check runs {@code exercise}: the hub's real native path. */
        public NativeProbe exercise(Exercise exercise) {
            return new NativeProbe(this, exercise);
        }
    }
}
