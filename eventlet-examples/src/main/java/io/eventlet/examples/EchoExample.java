package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.LineReader;
import io.eventlet.net.LineTooLongException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * eventlet's echoserver: a line echo server, a green thread per client, at most
 * {@code --concurrency} at once. The accept loop is {@link Eventlet#serve}'s (not a loop of its
 * own around a pool, as eventlet's example has), so the echo server too survives running out of
 * file descriptors: it waits and accepts again. A line longer than {@value #MAX_LINE_BYTES} bytes
 * gets an error line and the connection is closed, so a client without newlines cannot make the
 * server hold more than that.
 *
 * {@snippet lang = "shell" :
 * ./eventlet echo --port 6000 &
 * telnet localhost 6000        # every line comes back
 * }
 */
@Command(name = "echo", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A line echo server: every line a client sends comes back (eventlet's echoserver).")
public final class EchoExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(EchoExample.class);
    /** The longest line echoed, in bytes. */
    static final int MAX_LINE_BYTES = 8 * 1024;

    @Option(names = "--port", defaultValue = "6000", converter = Arguments.ListenPort.class,
            description = "port to listen on; 0 picks one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", converter = Arguments.BindAddress.class,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    InetAddress bind;

    @Option(names = "--concurrency", defaultValue = "10000", converter = Arguments.AtLeastOne.class,
            description = "clients served at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Override
    public Integer call() throws Exception {
        try (ServedOnHub r = start(new InetSocketAddress(bind, port), concurrency)) {
            log.info("echo server listening on {} (hub {}); Ctrl-C stops it", r.address(), r.hub().providerName());
            Examples.awaitInterrupt(r);
        }
        return 0;
    }

    static ServedOnHub start(InetSocketAddress address, int concurrency) throws IOException {
        GreenServerSocket server = Eventlet.listen(address);
        return ServedOnHub.start(Hub.start(), server, EchoExample::handle, concurrency, null);
    }

    /** One client: every line it sends comes back, until it closes. Serve closes the socket after. */
    static void handle(GreenSocket client) {
        String who = String.valueOf(client);
        log.info("client connected: {}", who);
        try {
            var in = new LineReader(client.inputStream(), MAX_LINE_BYTES);
            OutputStream out = client.outputStream();
            for (String line; (line = in.readLine()) != null; ) {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        } catch (LineTooLongException e) {
            log.info("client {} refused: {}", who, e.getMessage());
            refuse(client, e);
            return;
        } catch (IOException e) {
            log.info("client {} went away: {}", who, e.toString());
            return;
        }
        log.info("client disconnected: {}", who);
    }

    /** Tells a client its line was too long and closes without losing that reply (shared with chat). */
    static void refuse(GreenSocket client, LineTooLongException e) {
        try {
            client.writeAll(("error: " + e.getMessage() + "; closing\n").getBytes(StandardCharsets.UTF_8));
            client.closeLingering(Duration.ofSeconds(1), 64 * 1024);
        } catch (IOException gone) {
            log.debug("client {} gone before its refusal: {}", client, gone.toString());
        }
    }
}
