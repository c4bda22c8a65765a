package io.eventlet.bench.echo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Collects the runs of an {@link EchoLoad} session and renders them as Markdown: one row per
 * server × hubs × connections × size with medians over the repeats, then the heap per idle
 * connection.
 *
 * <p>Threading: confined to the harness thread.
 */
final class EchoReport {
    /** What one run measured. */
    record Run(long roundTrips, double seconds, long serverCpuTicks, double serverCpuMicros, double p50Micros, double p99Micros) {
        double roundTripsPerSecond() {
            return roundTrips / seconds;
        }

        double cpuMicrosPerRoundTrip() {
            return serverCpuMicros / roundTrips;
        }
    }

    /** One cell of the matrix. */
    record Case(ServerSpec server, int hubs, int connections, int size) {
    }

    /** What the idle-connection test measured. */
    record Heap(ServerSpec server, int hubs, int connections, long beforeBytes, long afterBytes) {
        double bytesPerConnection() {
            return (afterBytes - beforeBytes) / (double) connections;
        }
    }

    private final List<String> header;
    private final Map<Case, List<Run>> runs = new LinkedHashMap<>();
    private final List<Heap> heaps = new ArrayList<>();

    EchoReport(List<String> header) {
        this.header = List.copyOf(header);
    }

    void add(Case c, Run run) {
        runs.computeIfAbsent(c, k -> new ArrayList<>()).add(run);
    }

    void add(Heap heap) {
        heaps.add(heap);
    }

    List<Run> runs(Case c) {
        return runs.getOrDefault(c, List.of());
    }

    String markdown() {
        StringBuilder b = new StringBuilder();
        for (String line : header) {
            b.append(line).append('\n');
        }
        if (!runs.isEmpty()) {
            b.append('\n');
            b.append("| server | hubs | connections | size | round trips/s (median) | server µs CPU/rt (median) | p50 µs | p99 µs | CPU/rt vs jdk |\n");
            b.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            List<Case> order = new ArrayList<>(runs.keySet());
            // Group rows by the comparison they belong to; servers keep the order they were asked in.
            order.sort(java.util.Comparator.comparingInt(Case::hubs).thenComparingInt(Case::connections).thenComparingInt(Case::size));
            for (Case c : order) {
                List<Run> rs = runs.get(c);
                double cpu = median(rs.stream().mapToDouble(Run::cpuMicrosPerRoundTrip).toArray());
                b.append("| ").append(c.server().label())
                        .append(" | ").append(c.hubs())
                        .append(" | ").append(c.connections())
                        .append(" | ").append(c.size())
                        .append(" | ").append(String.format(Locale.ROOT, "%,.0f", median(rs.stream().mapToDouble(Run::roundTripsPerSecond).toArray())))
                        .append(" | ").append(String.format(Locale.ROOT, "%.2f", cpu))
                        .append(" | ").append(String.format(Locale.ROOT, "%.0f", median(rs.stream().mapToDouble(Run::p50Micros).toArray())))
                        .append(" | ").append(String.format(Locale.ROOT, "%.0f", median(rs.stream().mapToDouble(Run::p99Micros).toArray())))
                        .append(" | ").append(ratioToJdk(c, cpu))
                        .append(" |\n");
            }
        }
        if (!heaps.isEmpty()) {
            b.append("\n## Heap per idle connection\n\n");
            for (Heap h : heaps) {
                b.append(String.format(Locale.ROOT, "- %s, hubs %d: **%,.0f bytes** per idle connection (%,d connections; heap in use after GC %.1f MB before, %.1f MB after)%n",
                        h.server().label(), h.hubs(), h.bytesPerConnection(), h.connections(),
                        h.beforeBytes() / 1e6, h.afterBytes() / 1e6));
            }
        }
        return b.toString();
    }

    private String ratioToJdk(Case c, double cpu) {
        Case jdk = new Case(new ServerSpec(ServerKind.JDK, null), c.hubs(), c.connections(), c.size());
        List<Run> rs = runs.get(jdk);
        if (rs == null || rs.isEmpty()) {
            return "–";
        }
        double jdkCpu = median(rs.stream().mapToDouble(Run::cpuMicrosPerRoundTrip).toArray());
        return String.format(Locale.ROOT, "%.2f×", jdkCpu / cpu);
    }

    /** Every run, for later analysis (bench-results/*.json is not committed). */
    String json() {
        StringBuilder b = new StringBuilder("{\"runs\": [\n");
        String sep = "";
        for (var e : runs.entrySet()) {
            Case c = e.getKey();
            for (Run r : e.getValue()) {
                b.append(sep).append(String.format(Locale.ROOT,
                        "  {\"server\": \"%s\", \"hubs\": %d, \"connections\": %d, \"size\": %d, \"roundTrips\": %d, \"seconds\": %.3f,"
                                + " \"serverCpuTicks\": %d, \"roundTripsPerSecond\": %.1f, \"serverCpuMicrosPerRoundTrip\": %.4f,"
                                + " \"p50Micros\": %.1f, \"p99Micros\": %.1f}",
                        c.server().label(), c.hubs(), c.connections(), c.size(), r.roundTrips(), r.seconds(),
                        r.serverCpuTicks(), r.roundTripsPerSecond(), r.cpuMicrosPerRoundTrip(), r.p50Micros(), r.p99Micros()));
                sep = ",\n";
            }
        }
        b.append("\n], \"heap\": [\n");
        sep = "";
        for (Heap h : heaps) {
            b.append(sep).append(String.format(Locale.ROOT,
                    "  {\"server\": \"%s\", \"hubs\": %d, \"connections\": %d, \"beforeBytes\": %d, \"afterBytes\": %d, \"bytesPerConnection\": %.1f}",
                    h.server().label(), h.hubs(), h.connections(), h.beforeBytes(), h.afterBytes(), h.bytesPerConnection()));
            sep = ",\n";
        }
        return b.append("\n]}\n").toString();
    }

    /** The median; of an even count, the mean of the middle two. */
    static double median(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("median of no values");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
