package io.eventlet.internal;

import io.eventlet.spi.HubProvider;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Chooses a hub provider (docs/design.md, founding decision 5). A pure function of its arguments, so it is tested
 * without global state; {@link #fromEnvironment()} is the one place that reads the system
 * property, the environment and the {@link java.util.ServiceLoader}.
 *
 * <p>Thread-safe: stateless.
 */
public final class HubSelection {
    /** The system property that names a hub. */
    public static final String PROPERTY = "eventlet.hub";
    /** The environment variable that names a hub when the property is not set. */
    public static final String ENVIRONMENT = "EVENTLET_HUB";

    private HubSelection() {
    }

    /** What selection saw of one provider. */
    public record Status(String name, int priority, Optional<Throwable> unavailabilityCause, HubProvider provider) {
        public boolean available() {
            return unavailabilityCause.isEmpty();
        }

        String describe() {
            return unavailabilityCause
                    .map(c -> name + " (priority " + priority + "): unavailable: " + c)
                    .orElse(name + " (priority " + priority + "): available");
        }
    }

    /** The outcome: the chosen provider, and what was seen of every provider. */
    public record Result(HubProvider chosen, List<Status> seen, List<Throwable> loadFailures) {
    }

    /**
     * Picks the named provider, or the available one of highest priority (the first found on a
     * tie).
     *
     * @param requested the name asked for, or empty to choose by priority
     * @param providers each yields a provider or throws while loading; those that throw are
     *     reported and skipped
     * @throws IllegalStateException naming every provider found and why each unavailable one is
     *     unavailable, when nothing fits
     */
    public static Result select(Optional<String> requested, List<? extends Supplier<? extends HubProvider>> providers) {
        Survey found = survey(providers);
        List<Status> seen = found.seen();
        List<Throwable> loadFailures = found.loadFailures();
        Optional<String> name = requested.map(String::strip).filter(n -> !n.isEmpty()).map(n -> n.toLowerCase(Locale.ROOT));
        if (name.isPresent()) {
            for (Status st : seen) {
                if (st.name().equalsIgnoreCase(name.get())) {
                    List<String> flags = JvmFlags.missing(st.provider());
                    if (!flags.isEmpty() && lacksOnlyFlags(st)) {
                        // The one message that names every flag, not the probe's first failure.
                        throw new IllegalStateException(JvmFlags.message(st.name(), flags) + describe(seen, loadFailures));
                    }
                    if (st.available()) {
                        return new Result(st.provider(), List.copyOf(seen), List.copyOf(loadFailures));
                    }
                    throw new IllegalStateException("hub '" + name.get() + "' is unavailable: "
                            + st.unavailabilityCause().orElseThrow() + describe(seen, loadFailures));
                }
            }
            throw new IllegalStateException("no hub named '" + name.get() + "'" + describe(seen, loadFailures));
        }
        // A hub that lacks only flags counts as available: passing over the hub whose artifact the
        // user added, for want of a flag, would hide the flag behind a slower hub.
        Optional<Status> best = seen.stream().filter(st -> st.available() || (lacksOnlyFlags(st) && !JvmFlags.missing(st.provider()).isEmpty()))
                .max(Comparator.comparingInt(Status::priority)
                        // max() keeps the last of equals: reverse the index so the first found wins
                        .thenComparing(st -> -seen.indexOf(st)));
        if (best.isEmpty()) {
            throw new IllegalStateException("no hub is available" + describe(seen, loadFailures));
        }
        List<String> flags = JvmFlags.missing(best.get().provider());
        if (!flags.isEmpty()) {
            throw new IllegalStateException(JvmFlags.message(best.get().name(), flags) + describe(seen, loadFailures));
        }
        return new Result(best.get().provider(), List.copyOf(seen), List.copyOf(loadFailures));
    }

    /**
     * Whether nothing but flags stands between {@code st} and a working hub: it is available, or
     * its probe failed for want of access (the {@code sun.nio.ch} export's
     * {@link IllegalAccessError}, denied native access's {@link IllegalCallerException}) rather
     * than for its system, architecture or a missing library.
     */
    static boolean lacksOnlyFlags(Status st) {
        if (st.available()) {
            return true;
        }
        for (Throwable t = st.unavailabilityCause().orElseThrow(); t != null; t = t.getCause()) {
            if (t instanceof IllegalAccessError || t instanceof IllegalCallerException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** What loading every provider saw: each one found, and those that failed to load. */
    public record Survey(List<Status> seen, List<Throwable> loadFailures) {
    }

    /**
     * Loads every provider and asks each whether it is available, in the order given; a
     * provider that throws while loading is kept in {@link Survey#loadFailures()}, one whose
     * availability check throws is unavailable with that cause.
     */
    public static Survey survey(List<? extends Supplier<? extends HubProvider>> providers) {
        List<Status> seen = new ArrayList<>();
        List<Throwable> loadFailures = new ArrayList<>();
        for (Supplier<? extends HubProvider> s : providers) {
            HubProvider p;
            try {
                p = s.get();
            } catch (RuntimeException | LinkageError | java.util.ServiceConfigurationError e) {
                // ServiceLoader.Provider.get() reports a provider it cannot instantiate as a
                // ServiceConfigurationError, which is neither of the other two.
                loadFailures.add(e);
                continue;
            }
            Optional<Throwable> cause;
            try {
                cause = p.unavailabilityCause();
            } catch (RuntimeException | LinkageError e) {
                cause = Optional.of(e);
            }
            seen.add(new Status(p.name(), p.priority(), cause, p));
        }
        return new Survey(List.copyOf(seen), List.copyOf(loadFailures));
    }

    /**
     * The hubs found, best first: by descending priority, ties in the order found, which is the
     * order automatic selection prefers them in (and {@code Hub.providers()}'s order).
     */
    private static String describe(List<Status> seen, List<Throwable> loadFailures) {
        StringBuilder b = new StringBuilder("; hubs found:");
        if (seen.isEmpty()) {
            b.append(" none (add eventlet-hub-selector, eventlet-hub-epoll or eventlet-hub-poll to the class path)");
        }
        List<Status> bestFirst = new ArrayList<>(seen);
        bestFirst.sort(Comparator.comparingInt(Status::priority).reversed());   // stable: ties keep the order found
        for (Status st : bestFirst) {
            b.append("\n  ").append(st.describe());
        }
        for (Throwable t : loadFailures) {
            b.append("\n  a provider failed to load: ").append(t);
        }
        return b.toString();
    }

    /** The hub asked for by {@code -Deventlet.hub}, else by {@code EVENTLET_HUB}. */
    public static Optional<String> requestedName() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return Optional.of(p);
        }
        return Optional.ofNullable(System.getenv(ENVIRONMENT)).filter(s -> !s.isBlank());
    }

    /** Selection as configured for this JVM: the requested name and the service loader. */
    public static Result fromEnvironment() {
        Result r = select(requestedName(), fromEnvironmentProviders());
        reportFallbackOnce(r);
        return r;
    }

    private static final java.util.concurrent.atomic.AtomicBoolean FALLBACK_REPORTED = new java.util.concurrent.atomic.AtomicBoolean();

    /** One log line per JVM when a better hub was passed over because it is unavailable. */
    private static void reportFallbackOnce(Result r) {
        int chosen = r.chosen().priority();
        for (Status st : r.seen()) {
            if (!st.available() && st.priority() > chosen && FALLBACK_REPORTED.compareAndSet(false, true)) {
                org.slf4j.LoggerFactory.getLogger(HubSelection.class).info(
                        "hub '{}' is unavailable ({}); using '{}'", st.name(), st.unavailabilityCause().orElseThrow(), r.chosen().name());
                return;
            }
        }
        for (Throwable t : r.loadFailures()) {
            if (FALLBACK_REPORTED.compareAndSet(false, true)) {
                org.slf4j.LoggerFactory.getLogger(HubSelection.class).warn("a hub provider failed to load and was skipped: {}", t.toString());
            }
        }
    }

    /** The providers the service loader finds; a provider that fails to load throws from its supplier. */
    public static List<Supplier<HubProvider>> fromEnvironmentProviders() {
        var loader = java.util.ServiceLoader.load(HubProvider.class, HubSelection.class.getClassLoader());
        List<Supplier<HubProvider>> suppliers = new ArrayList<>();
        var it = loader.stream().iterator();
        // A broken entry makes hasNext() throw once and moves past it; the bound guards against a
        // loader that would keep throwing for the same entry.
        for (int failures = 0; failures < 64; ) {
            try {
                if (!it.hasNext()) {
                    break;
                }
                suppliers.add(it.next());
            } catch (java.util.ServiceConfigurationError e) {
                failures++;
                suppliers.add(() -> {
                    throw e;
                });
            }
        }
        return suppliers;
    }
}
