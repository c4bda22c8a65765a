package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.GreenPile;
import io.eventlet.net.GreenSocket;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * eventlet's connect example: connect to several addresses at once with a {@link GreenPile} and
 * print the results in the order given, however they finish.
 */
@Command(name = "connect", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Connect to several HOST:PORT addresses concurrently; print each result in order.")
public final class ConnectExample implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "HOST:PORT", converter = Arguments.HostPort.class, description = "addresses to connect to")
    List<InetSocketAddress> targets;

    @Option(names = "--timeout", defaultValue = "PT5S", converter = Arguments.PositiveIsoDuration.class,
            description = "connect timeout, ISO-8601 (default: ${DEFAULT-VALUE})")
    Duration timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int failed = Eventlet.run(() -> {
            GreenPile<String> pile = new GreenPile<>(100);
            for (InetSocketAddress t : targets) {
                pile.spawn(() -> {
                    long start = System.nanoTime();
                    try (GreenSocket s = Eventlet.connect(t, timeout)) {
                        return "ok   " + t.getHostString() + ":" + t.getPort() + " in " + (System.nanoTime() - start) / 1_000_000 + " ms ("
                                + s.remoteAddress() + ")";
                    } catch (Exception e) {
                        return "FAIL " + t.getHostString() + ":" + t.getPort() + ": " + e.getMessage();
                    }
                });
            }
            int fails = 0;
            for (String line : pile) {
                out.println(line);
                if (line.startsWith("FAIL")) {
                    fails++;
                }
            }
            return fails;
        });
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
