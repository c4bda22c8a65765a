package io.eventlet.examples;

import io.eventlet.Hub;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What {@code -V} / {@code --version} prints, on every command of the launcher: one line,
 * {@code eventlet-java 0.1.0 (hub epoll, Java 25.0.1)}. The version is the build's (Maven filters
 * {@value #RESOURCE} beside this class); the hub is the one this command line would run on
 * ({@code --hub}, else {@code -Deventlet.hub} / {@code $EVENTLET_HUB}, else the best available),
 * or why there is none.
 */
final class VersionProvider implements IVersionProvider {
    /** The resource, beside this class, that holds {@code version=} the project version. */
    static final String RESOURCE = "version.properties";

    /** The command asked; picocli injects it. */
    @Spec
    CommandSpec spec;

    @Override
    public String[] getVersion() {
        return new String[] {"eventlet-java " + projectVersion() + " (" + hub() + ", Java " + System.getProperty("java.version") + ")"};
    }

    /** The version the build wrote into {@value #RESOURCE}. */
    static String projectVersion() {
        try (InputStream in = VersionProvider.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return "(version unknown: no " + RESOURCE + ")";
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "").strip();
            // Unfiltered (a build that skipped resource filtering) it still says ${project.version}.
            return v.isEmpty() || v.contains("${") ? "(version unknown)" : v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code hub NAME}, or {@code hub NAME unavailable} / {@code no hub available}. */
    private String hub() {
        String named = spec != null && spec.root().userObject() instanceof Launcher l ? l.hub : null;
        try {
            return "hub " + (named != null ? Hub.provider(named) : Hub.provider()).name();
        } catch (IllegalStateException e) {
            String asked = named != null ? named : Hub.requestedName().orElse(null);
            return asked != null ? "hub " + asked + " unavailable" : "no hub available";
        }
    }
}
