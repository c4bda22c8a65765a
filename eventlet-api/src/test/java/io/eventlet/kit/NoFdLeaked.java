package io.eventlet.kit;

import io.eventlet.Eventlet;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.spi.HubProvider;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static io.eventlet.kit.OnHub.LOOPBACK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The leak check of {@link GreenSocketBehaviour}: a case fails if the process has more (or fewer)
 * open file descriptors after it than before it ({@link OpenFds}), so a socket a case forgot to
 * close is caught. What the JDK opens once per JVM is opened by a warm-up on the hub under test
 * before counting, so it is not taken for a leak; the count is kept in the case's
 * {@link ExtensionContext.Store}.
 *
 * <p>Only around {@link GreenSocketBehaviour}'s and {@link ServeBehaviour}'s own cases ({@link HubCases#isCaseOf}): an
 * extension declared on a behaviour interface is registered for every case of the class that
 * implements it, and other behaviours' cases may hold descriptors for the JVM's lifetime (a Tpool
 * thread, the test CA's files) without leaking.
 */
final class NoFdLeaked implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(NoFdLeaked.class);
    private static final String FDS_BEFORE = "open descriptors before the case";
    /**
     * An extension's callback has no timeout of its own: the warm-up gets the one a lifecycle
     * method would (junit-platform.properties), so a hub that hangs fails the case.
     */
    private static final Duration WARM_UP_TIMEOUT = Duration.ofSeconds(60);

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!HubCases.isCaseOf(GreenSocketBehaviour.class, context) && !HubCases.isCaseOf(ServeBehaviour.class, context)) {
            return;
        }
        HubProvider provider = ((HubCases) context.getRequiredTestInstance()).provider();
        assertTimeoutPreemptively(WARM_UP_TIMEOUT, () -> warmUp(provider), "the warm-up before counting descriptors");
        context.getStore(NAMESPACE).put(FDS_BEFORE, OpenFds.count());
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Long before = context.getStore(NAMESPACE).get(FDS_BEFORE, Long.class);
        if (before == null) {
            return;   // not a socket case, or its warm-up failed (and failed the case)
        }
        assertEquals(before.longValue(), OpenFds.count(), "file descriptors leaked by the test");
    }

    /**
     * Opens what the JDK opens once per JVM (its pollers, /dev/random for temporary names, the
     * Tpool): a TCP and a Unix-domain connection on a hub of {@code provider}.
     */
    private static void warmUp(HubProvider provider) {
        OnHub.run(provider, () -> {
            try (GreenServerSocket s = Eventlet.listen(LOOPBACK); GreenSocket c = Eventlet.connect(s.localAddress())) {
                s.accept().close();
            }
            Path dir = Files.createTempDirectory("eventlet-warmup");
            Path path = dir.resolve("s.sock");
            try (GreenServerSocket s = Eventlet.listen(UnixDomainSocketAddress.of(path));
                 GreenSocket c = Eventlet.connect(UnixDomainSocketAddress.of(path))) {
                s.accept().close();
            } finally {
                Files.deleteIfExists(path);
                Files.delete(dir);
            }
        });
    }
}
