package io.eventlet.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Joins the echo and HTTP load results of one {@code ./eventlet bench compare} run into
 * {@code compare.md} (server CPU per operation and the ratio to the JDK baseline of each
 * workload) and {@code compare.png} (a bar chart of those ratios, drawn with JFreeChart).
 *
 * {@snippet lang = "shell" :
 * java -cp benchmarks.jar io.eventlet.bench.compare.CompareReport echo.md http.md compare.md compare.png
 * }
 */
public final class CompareReport {
    /** One measured cell: a server under a workload. */
    record Cell(String workload, String server, double cpuMicros, String throughput) {
    }

    private CompareReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CompareReport ECHO_MD HTTP_MD OUT_MD OUT_PNG");
            System.exit(2);
        }
        List<Cell> cells = new ArrayList<>();
        cells.addAll(parseEcho(Files.readAllLines(Path.of(args[0]))));
        cells.addAll(parseHttp(Files.readAllLines(Path.of(args[1]))));
        if (cells.isEmpty()) {
            System.err.println("CompareReport: no result rows in " + args[0] + " or " + args[1]);
            System.exit(1);
        }
        String table = table(cells);
        String header = header(Files.readAllLines(Path.of(args[0])));
        Files.writeString(Path.of(args[2]), "# Side-by-side comparison\n\n" + header + "\n" + table
                + "\nThe chart: `compare.png` (same numbers: how many times less server CPU per operation than the JDK baseline of each workload).\n",
                StandardCharsets.UTF_8);
        chart(cells, Path.of(args[3]));
        System.out.print(table);
    }

    /** Echo rows: | server | hubs | connections | size | rt/s | µs CPU/rt | p50 | p99 | ratio |. */
    static List<Cell> parseEcho(List<String> lines) {
        List<Cell> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = cells(line);
            if (f.length >= 9 && !f[0].equals("server") && !f[0].startsWith("-")) {
                String workload = "echo " + f[2] + " conns × " + f[3] + " B";
                out.add(new Cell(workload, f[0].equals("jdk") ? "jdk (virtual threads)" : f[0], Double.parseDouble(f[5]), f[4] + " rt/s"));
            }
        }
        return out;
    }

    /** HTTP rows: | server | connections | requests/s | p99 | µs CPU/req | ratio |. */
    static List<Cell> parseHttp(List<String> lines) {
        List<Cell> out = new ArrayList<>();
        for (String line : lines) {
            String[] f = cells(line);
            if (f.length >= 6 && !f[0].equals("server") && !f[0].startsWith("-")) {
                String server = switch (f[0]) {
                    case "jdk" -> "jdk (HttpServer)";
                    case "netty" -> "netty-epoll";
                    default -> f[0];
                };
                out.add(new Cell("http " + f[1] + " conns", server, Double.parseDouble(f[4]), f[2] + " req/s"));
            }
        }
        return out;
    }

    private static String[] cells(String line) {
        String t = line.strip();
        if (!t.startsWith("|")) {
            return new String[0];
        }
        String[] parts = t.substring(1, t.length() - 1).split("\\|");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].strip().replace(",", "");
        }
        return parts;
    }

    private static String header(List<String> echoLines) {
        StringBuilder b = new StringBuilder();
        for (String l : echoLines) {
            if (l.startsWith("- date:") || l.startsWith("- machine:") || l.startsWith("- JDK:")) {
                b.append(l).append('\n');
            }
        }
        b.append("- each workload's baseline is plain JDK: virtual threads with `ServerSocket` for echo, `com.sun.net.httpserver` on a virtual-thread executor for HTTP\n");
        b.append("- server µs CPU per round trip or request (the server's utime+stime over the measured interval); ratio = baseline ÷ row, above 1 is cheaper\n");
        return b.toString();
    }

    static Map<String, Double> baselines(List<Cell> cells) {
        Map<String, Double> base = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.server.startsWith("jdk")) {
                base.put(c.workload, c.cpuMicros);
            }
        }
        return base;
    }

    static String table(List<Cell> cells) {
        Map<String, Double> base = baselines(cells);
        StringBuilder b = new StringBuilder("| workload | server | µs CPU/op | vs JDK | throughput |\n|---|---|---:|---:|---:|\n");
        for (Cell c : cells) {
            Double jdk = base.get(c.workload);
            String ratio = jdk == null ? "-" : String.format(Locale.ROOT, "%.2f×", jdk / c.cpuMicros);
            b.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s |%n", c.workload, c.server, c.cpuMicros, ratio, c.throughput));
        }
        return b.toString();
    }

    static void chart(List<Cell> cells, Path png) throws IOException {
        Map<String, Double> base = baselines(cells);
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (Cell c : cells) {
            Double jdk = base.get(c.workload);
            if (jdk != null) {
                String series = c.server.startsWith("jdk") ? "jdk (baseline)" : c.server;
                data.addValue(jdk / c.cpuMicros, series, c.workload);
            }
        }
        JFreeChart chart = ChartFactory.createBarChart("Server CPU per operation: times cheaper than plain JDK (higher is better)",
                "workload", "× JDK baseline", data, PlotOrientation.VERTICAL, true, false, false);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 1100, 600);
    }
}
