package io.eventlet.internal;

import io.eventlet.spi.HubProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * The one check of the JVM flags a hub needs: eventlet-api's own ({@code --add-opens} for green
 * threads) and those its provider names ({@link HubProvider#missingJvmFlags()}), all at once, so
 * that a user who lacks three flags reads three flags in one message instead of learning them
 * over three runs. Each flag is spelled for where the code that needs it was loaded from: a
 * module's name on the module path, {@code ALL-UNNAMED} on the class path.
 *
 * <p>Thread-safe: stateless; what it reads is fixed for the life of the JVM.
 */
public final class JvmFlags {
    private JvmFlags() {
    }

    /** Every flag a hub of {@code provider} needs that this JVM lacks, eventlet-api's first. */
    public static List<String> missing(HubProvider provider) {
        List<String> missing = new ArrayList<>();
        if (!VirtualThreads.accessible()) {
            missing.add(VirtualThreads.requiredFlag());
        }
        List<String> own;
        try {
            own = provider.missingJvmFlags();
        } catch (RuntimeException | LinkageError e) {
            own = List.of();   // a provider that cannot tell reports it as its unavailability
        }
        for (String f : own) {
            if (!missing.contains(f)) {
                missing.add(f);
            }
        }
        return List.copyOf(missing);
    }

    /**
     * Fails when a hub of {@code provider} cannot start for want of flags.
     *
     * @throws IllegalStateException naming every missing flag, as one command line
     */
    public static void check(HubProvider provider) {
        List<String> missing = missing(provider);
        if (!missing.isEmpty()) {
            throw new IllegalStateException(message(provider.name(), missing));
        }
    }

    static String message(String hub, List<String> missing) {
        String where = JvmFlags.class.getModule().isNamed() ? "the module path" : "the class path";
        return "eventlet cannot start a '" + hub + "' hub: this JVM lacks " + (missing.size() == 1 ? "a flag" : missing.size() + " flags")
                + " that it needs (spelled for " + where + "). Start java with:\n  " + String.join(" ", missing)
                + "\n(Maven Surefire: put them in <argLine>; exec:java: MAVEN_OPTS; any java: JDK_JAVA_OPTIONS;"
                + " see the README, \"JVM flags a library user must pass\")";
    }
}
