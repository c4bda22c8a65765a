package io.eventlet.bench.echo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the report says about the machine. Read from /proc, since the harness is pinned and
 *  {@link Runtime#availableProcessors()} would count only its own CPU. */
final class MachineInfo {
    private MachineInfo() {
    }

    static int cpuCount() {
        long n = cpuinfo().stream().filter(l -> l.startsWith("processor")).count();
        return n > 0 ? (int) n : Runtime.getRuntime().availableProcessors();
    }

    static String cpuModel() {
        return cpuinfo().stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static List<String> cpuinfo() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
