package io.eventlet.jnr;

import java.util.Locale;

/** What {@code os.name} says about the system, in one place. Stateless and thread-safe. */
final class Os {
    /** Whether this JVM runs on Linux, read once from {@code os.name}. */
    static final boolean LINUX = isLinux(System.getProperty("os.name", "?"));

    private Os() {
    }

    static boolean isLinux(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("linux");
    }

    static boolean isWindows(String osName) {
        return osName.toLowerCase(Locale.ROOT).startsWith("windows");
    }
}
