package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * eventlet's forwarder: a TCP port forwarder, two green pumps per connection. When one side ends
 * its stream, the forwarder half-closes the other side's output, so a request-then-close client
 * still gets its whole answer.
 */
@Command(name = "forward", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A TCP port forwarder: --listen PORT --to HOST:PORT (eventlet's forwarder).")
public final class ForwardExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ForwardExample.class);

    @Option(names = {"--listen", "--port"}, required = true, paramLabel = "PORT", converter = Arguments.ListenPort.class,
            description = "port to listen on; 0 picks one")
    int port;

    @Option(names = "--to", required = true, paramLabel = "HOST:PORT", converter = Arguments.HostPort.class,
            description = "where to forward to")
    InetSocketAddress target;

    @Override
    public Integer call() throws Exception {
        try (ServedOnHub r = start(new InetSocketAddress(port), target)) {
            log.info("forwarding {} -> {} (hub {}); Ctrl-C stops it", r.address(), target, r.hub().providerName());
            Examples.awaitInterrupt(r);
        }
        return 0;
    }

    static ServedOnHub start(InetSocketAddress listen, InetSocketAddress target) throws IOException {
        GreenServerSocket server = Eventlet.listen(listen);
        return ServedOnHub.start(Hub.start(), server, client -> forward(client, target), Eventlet.DEFAULT_CONCURRENCY, null);
    }

    private static void forward(GreenSocket client, InetSocketAddress target) throws IOException {
        try (GreenSocket upstream = Eventlet.connect(target, Duration.ofSeconds(10))) {
            GreenThread<Void> up = Eventlet.spawn(() -> {
                pump(client, upstream);
                return null;
            });
            pump(upstream, client);
            up.join();
        } catch (IOException e) {
            log.info("forwarding for {} ended: {}", client, e.toString());
        }
    }

    /** Copies until the end of {@code from}'s stream, then half-closes {@code to}. */
    private static void pump(GreenSocket from, GreenSocket to) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        while (from.read(buf) >= 0) {
            buf.flip();
            to.writeAll(buf);
            buf.clear();
        }
        to.shutdownOutput();
    }
}
