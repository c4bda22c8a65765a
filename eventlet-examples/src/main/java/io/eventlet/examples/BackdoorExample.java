package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.Hub;
import io.eventlet.debug.Backdoor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * eventlet's backdoor: a small program of ticking green threads with a {@link Backdoor} console
 * on loopback, to look inside it while it runs.
 *
 * {@snippet lang = "shell" :
 * ./eventlet backdoor --port 3000 &
 * telnet localhost 3000       # then: hubs, threads, stack ID, heap, quit
 * }
 */
@Command(name = "backdoor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Ticking green threads plus a backdoor console (eventlet's backdoor); loopback only by default.")
public final class BackdoorExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BackdoorExample.class);

    @Option(names = "--port", defaultValue = "3000", converter = Arguments.ListenPort.class,
            description = "the console's port; 0 picks one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "127.0.0.1", converter = Arguments.BindAddress.class,
            description = "the console's address (default: ${DEFAULT-VALUE}; anyone who can connect sees every stack)")
    InetAddress bind;

    @Option(names = "--workers", defaultValue = "5", converter = Arguments.AtLeastZero.class,
            description = "ticking green threads to look at (default: ${DEFAULT-VALUE})")
    int workers;

    @Override
    public Integer call() throws Exception {
        try (Running r = start(new InetSocketAddress(bind, port), workers)) {
            log.info("backdoor on {} beside {} ticking green threads (hub {}); telnet to it; Ctrl-C stops it",
                    r.door.address(), workers, r.app.providerName());
            Examples.awaitInterrupt(r);
        }
        return 0;
    }

    record Running(Hub app, Backdoor door) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            door.close();
            app.close();
        }
    }

    static Running start(InetSocketAddress console, int workers) throws java.io.IOException {
        Hub app = Hub.start();
        for (int i = 0; i < workers; i++) {
            long period = 100L * (i + 1);
            app.spawnN(() -> {
                while (true) {
                    Eventlet.sleep(Duration.ofMillis(period));
                }
            });
        }
        try {
            return new Running(app, Backdoor.start(console));
        } catch (java.io.IOException | RuntimeException e) {
            app.close();
            throw e;
        }
    }
}
