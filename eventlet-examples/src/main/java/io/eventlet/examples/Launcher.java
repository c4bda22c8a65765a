package io.eventlet.examples;

import io.eventlet.Hub;
import io.eventlet.spi.HubProvider;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The command line behind {@code ./eventlet}: {@code demo}, and the hidden {@code check-hub NAME}
 * the script uses to validate a hub name before it starts JMH.
 *
 * {@snippet lang = "shell" :
 * java -jar eventlet-examples.jar demo --hub selector --connections 5000
 * java -jar eventlet-examples.jar check-hub epoll    # exit 1 and the list of hubs when unavailable
 * }
 *
 * <p>{@code --hub NAME} is accepted before or after the subcommand. It is validated with
 * {@link Hub#provider(String)} and then set as the system property {@value HubSelection#PROPERTY}
 * before any hub is created, so every hub of the run is of that kind. Exit codes: 0 success,
 * 1 an unknown or unavailable hub or a port that cannot be listened on (one line each; picocli's
 * own 1, with a stack trace, for any other failure), 2 a usage error.
 *
 * <p>Every command, subcommands included, answers {@code -V} / {@code --version} with one line
 * from {@link VersionProvider}: the build's version, the hub it would run on and the Java version.
 */
@Command(name = "eventlet", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Green threads on pluggable hubs: the demo and the tools behind ./eventlet.",
        subcommands = {Demo.class, EchoExample.class, ForwardExample.class, ConnectExample.class, HttpExample.class, ChatExample.class, CrawlExample.class, BackdoorExample.class,
                WebSocketChatExample.class,
                Launcher.CheckHub.class, CommandLine.HelpCommand.class})
public final class Launcher implements Runnable {
    /** Exit code for an unknown or unavailable hub. */
    static final int HUB_UNAVAILABLE = 1;
    /** Exit code for a port or address that cannot be listened on. */
    static final int CANNOT_LISTEN = 1;

    @Option(names = "--hub", paramLabel = "NAME", scope = ScopeType.INHERIT,
            description = "The kind of hub (selector, epoll, poll); default: the best available, or -D"
                    + Hub.HUB_PROPERTY + " / $" + Hub.HUB_ENVIRONMENT + ".")
    String hub;

    private CommandLine commandLine;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command line and returns its exit code; writes only to {@code out} and {@code err}. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        Launcher launcher = new Launcher();
        CommandLine cmd = new CommandLine(launcher);
        launcher.commandLine = cmd;
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionStrategy(launcher::execute);
        cmd.setExecutionExceptionHandler(Launcher::cannotListen);
        try {
            return cmd.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * A port in use or an address not of this machine: one line and exit 1, as for an unavailable
     * hub; the arguments were well formed, so no usage. Anything else keeps picocli's stack trace.
     */
    private static int cannotListen(Exception e, CommandLine cmd, ParseResult parseResult) throws Exception {
        if (e instanceof java.net.BindException) {
            cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": cannot listen: " + e.getMessage());
            return CANNOT_LISTEN;
        }
        throw e;
    }

    /** Validates and applies {@code --hub} once, before whichever subcommand runs. */
    private int execute(ParseResult parseResult) {
        if (hub != null && !isHelpRequest(parseResult)) {
            try {
                HubProvider chosen = select(hub);
                System.setProperty(Hub.HUB_PROPERTY, chosen.name());
            } catch (IllegalStateException e) {
                commandLine.getErr().println(e.getMessage());
                return HUB_UNAVAILABLE;
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    private static boolean isHelpRequest(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The provider named {@code name}.
     *
     * @throws IllegalStateException from {@link Hub#provider(String)}, listing every hub found and
     *     why each unavailable one is unavailable
     */
    static HubProvider select(String name) {
        return Hub.provider(name);
    }

    /** Without a subcommand: the usage, as a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(commandLine, "a subcommand is missing");
    }

    /** Prints the name of the hub {@code NAME} resolves to, or fails with the list of hubs. */
    @Command(name = "check-hub", hidden = true, mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Exit 0 when the hub NAME is available here; otherwise exit 1 and say why.")
    static final class CheckHub implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Parameters(paramLabel = "NAME", description = "A hub name.")
        String name;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            try {
                spec.commandLine().getOut().println(select(name).name());
                return 0;
            } catch (IllegalStateException e) {
                spec.commandLine().getErr().println(e.getMessage());
                return HUB_UNAVAILABLE;
            }
        }
    }
}
