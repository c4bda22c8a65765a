package io.eventlet.bench.reliability;

import io.eventlet.bench.reliability.ReliabilityOptions.Scale;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The Markdown report of {@code ./eventlet bench reliability}: one row per hub and attack. */
final class ReliabilityReport {
    static final String HEADER = "| hub | attack | connections (opened/asked) | held at peak | cut (median after open) "
            + "| legit p50 / max ms | legit failed | heap MiB before/peak/after | fds before/peak/after | recovery ms | note |";
    static final String ALIGN = "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|";

    private ReliabilityReport() {
    }

    static String format(List<AttackResult> results, Scale scale, String serverLimits, Duration took) {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability under hostile clients\n\n");
        md.append("- date: ").append(ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'"))).append('\n');
        md.append("- JDK: ").append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.runtime.version"))
                .append("; ").append(Runtime.getRuntime().availableProcessors()).append(" CPUs visible to the harness\n");
        md.append("- run: ").append(scale == Scale.QUICK ? "--quick (small counts, short timeouts: proves the harness, not the server)" : "full")
                .append(", took ").append(took.toSeconds()).append(" s\n");
        md.append("- sizes: slowloris and slow bodies ").append(scale.slowConnections()).append(" connections each (= the server's maxConnections), a head byte every ")
                .append(millis(scale.slowByteInterval())).append(", body 1 byte/s; ").append(scale.idleConnections()).append(" idle keep-alives; ")
                .append(scale.pipeliners()).append(" pipeliners; ").append(scale.webSockets()).append(" WebSocket frames claiming 16 MiB; ")
                .append(scale.fdClients()).append(" clients against ulimit -n ").append(scale.fdLimit()).append('\n');
        md.append("- server asked for: head deadline ").append(millis(scale.headTimeout())).append(", body deadline ").append(millis(scale.bodyTimeout()))
                .append(", minimum body rate ").append(scale.minBodyRate()).append(" B/s; ")
                .append(serverLimits.isEmpty() ? "it applied them all" : "this build of eventlet-http lacks, and did not apply: `" + serverLimits + "`").append('\n');
        md.append("- legit: a GET on a fresh connection every 150 ms during the attack; failed = error, not 200, or slower than the target ")
                .append(millis(scale.legitTarget())).append(" (head deadline + 1 s)\n");
        md.append("- held at peak / cut: as the attacking clients saw their connections (cut = the server closed or reset it during the attack); ")
                .append("recovery: from closing every attacking connection to the first legit answer\n\n");
        md.append(HEADER).append('\n').append(ALIGN).append('\n');
        for (AttackResult r : results) {
            md.append(row(r)).append('\n');
        }
        return md.toString();
    }

    static String row(AttackResult r) {
        return "| " + r.hub() + " | " + r.attack().label() + " | " + r.opened() + "/" + r.requested() + " | " + r.peakHeld() + " | "
                + r.cut() + (r.cut() > 0 ? " (" + fixed(r.cutMedianSeconds(), 1) + " s)" : "") + " | "
                + fixed(r.legitP50Millis(), 0) + " / " + fixed(r.legitMaxMillis(), 0) + " | " + r.legitFailures() + "/" + r.legitRequests() + " | "
                + fixed(r.heapBeforeMiB(), 1) + " / " + fixed(r.heapPeakMiB(), 1) + " / " + fixed(r.heapAfterMiB(), 1) + " | "
                + count(r.fdsBefore()) + " / " + count(r.fdsPeak()) + " / " + count(r.fdsAfter()) + " | "
                + (r.recoveryMillis() < 0 ? "never" : Long.toString(r.recoveryMillis())) + " | " + r.note() + " |";
    }

    private static String fixed(double v, int decimals) {
        if (Double.isNaN(v) || v < 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String count(int n) {
        return n < 0 ? "-" : Integer.toString(n);
    }

    private static String millis(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
