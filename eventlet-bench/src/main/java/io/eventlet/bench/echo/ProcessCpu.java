package io.eventlet.bench.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * CPU time a process has used, from {@code /proc/PID/stat} (Linux): user plus system time, in
 * clock ticks. docs/design.md (founding decision 7) ranks servers by this, per operation.
 *
 * <p>Thread-safe: immutable.
 */
final class ProcessCpu {
    /** Clock ticks per second when {@code getconf CLK_TCK} cannot be asked: Linux's USER_HZ. */
    static final long DEFAULT_CLK_TCK = 100;

    private final long ticksPerSecond;

    ProcessCpu(long ticksPerSecond) {
        if (ticksPerSecond <= 0) {
            throw new IllegalArgumentException("clock ticks per second must be positive, got " + ticksPerSecond);
        }
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Asks {@code getconf CLK_TCK}; falls back to 100 (with a warning on stderr) when it cannot. */
    static ProcessCpu fromSystem() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return new ProcessCpu(Long.parseLong(out));
            }
            System.err.println("warning: 'getconf CLK_TCK' failed (" + out + "); assuming " + DEFAULT_CLK_TCK + " ticks/s");
        } catch (IOException | NumberFormatException e) {
            System.err.println("warning: cannot run 'getconf CLK_TCK' (" + e + "); assuming " + DEFAULT_CLK_TCK + " ticks/s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new ProcessCpu(DEFAULT_CLK_TCK);
    }

    long ticksPerSecond() {
        return ticksPerSecond;
    }

    /** utime + stime of process {@code pid}, in clock ticks. */
    long ticks(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        String line;
        try {
            line = Files.readString(stat, StandardCharsets.US_ASCII);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("process " + pid + " is gone: " + stat + " does not exist", e);
        }
        return userPlusSystemTicks(line, stat.toString());
    }

    /** Converts clock ticks to microseconds. */
    double micros(long ticks) {
        return ticks * 1_000_000.0 / ticksPerSecond;
    }

    /**
     * Parses utime (field 14) and stime (field 15) of a {@code /proc/PID/stat} line. Field 2, the
     * command name, is in parentheses and may itself hold spaces and parentheses, so the fields
     * are counted from the <em>last</em> {@code ')'}, never by splitting the whole line.
     *
     * @param source names the file in the error message
     * @throws IOException when the line does not have the expected shape
     */
    static long userPlusSystemTicks(String line, String source) throws IOException {
        int close = line.lastIndexOf(')');
        if (close < 0) {
            throw new IOException("unexpected " + source + ": no ')' closing the command name in '" + abbreviate(line) + "'");
        }
        // After ") " come fields 3 (state), 4, 5, ...: field n is token n - 3.
        String[] rest = line.substring(close + 1).strip().split(" +");
        if (rest.length < 13) {
            throw new IOException("unexpected " + source + ": only " + (rest.length + 2) + " fields in '" + abbreviate(line) + "'");
        }
        try {
            return Long.parseLong(rest[14 - 3]) + Long.parseLong(rest[15 - 3]);
        } catch (NumberFormatException e) {
            throw new IOException("unexpected " + source + ": utime/stime are not numbers in '" + abbreviate(line) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        s = s.strip();
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }
}
