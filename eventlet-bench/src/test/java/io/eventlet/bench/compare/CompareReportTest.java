package io.eventlet.bench.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison report: parses both result tables, computes ratios to each JDK baseline, draws a PNG. */
class CompareReportTest {
    @TempDir
    Path dir;

    @Test
    void joinsEchoAndHttpResultsWithRatiosToTheirBaselines() throws Exception {
        Path echo = dir.resolve("echo.md");
        Files.writeString(echo, String.join("\n",
                "# Echo load benchmark", "- date: 2026-11-26 05:00 UTC", "- machine: 2 CPUs", "- JDK: 25",
                "| server | hubs | connections | size | round trips/s (median) | server µs CPU/rt (median) | p50 µs | p99 µs | CPU/rt vs jdk |",
                "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
                "| green:epoll | 1 | 50 | 64 | 230,510 | 4.00 | 211 | 324 | 1.50× |",
                "| jdk | 1 | 50 | 64 | 179,637 | 6.00 | 274 | 348 | 1.00× |", ""));
        Path http = dir.resolve("http.md");
        Files.writeString(http, String.join("\n",
                "| server | connections | requests/s | p99 latency | server µs CPU/req | CPU/req vs jdk |",
                "|---|---:|---:|---:|---:|---:|",
                "| green:epoll | 50 | 172111 | 4.00ms | 5.000 | 4.00× |",
                "| jdk | 50 | 45252 | 6.27ms | 20.000 | 1.00× |",
                "| netty | 50 | 188133 | 3.14ms | 4.000 | 5.00× |", ""));
        Path md = dir.resolve("compare.md");
        Path png = dir.resolve("compare.png");
        CompareReport.main(new String[] {echo.toString(), http.toString(), md.toString(), png.toString()});
        String report = Files.readString(md);
        assertTrue(report.contains("| echo 50 conns × 64 B | green:epoll | 4.00 | 1.50× | 230510 rt/s |"), report);
        assertTrue(report.contains("| http 50 conns | netty-epoll | 4.00 | 5.00× | 188133 req/s |"), report);
        assertTrue(report.contains("| http 50 conns | jdk (HttpServer) | 20.00 | 1.00× |"), report);
        assertTrue(report.contains("- date: 2026-11-26 05:00 UTC"), report);
        byte[] image = Files.readAllBytes(png);
        assertTrue(image.length > 1000);
        assertEquals((byte) 0x89, image[0], "a PNG");
        assertEquals('P', image[1]);
        assertEquals(List.of(), CompareReport.parseHttp(List.of("not a table")));
    }
}
