package io.eventlet.bench.echo;

import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest {
    // Fields 14 (utime) = 1500 and 15 (stime) = 250, after a command name that has spaces and
    // parentheses of its own: splitting the whole line on spaces would read the wrong fields.
    private static final String TRICKY = "4242 (my (odd) java) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 1500 250 0 0 20 0 23 0 "
            + "123456 3000000000 20000 18446744073709551615 1 1 0 0 0 0 4 0 16800975 0 0 0 17 0 0 0 0 0 0\n";

    @Test
    void readsUtimePlusStimeAfterTheLastParenthesis() throws IOException {
        assertEquals(1750, ProcessCpu.userPlusSystemTicks(TRICKY, "sample"));
    }

    @Test
    void readsAPlainLine() throws IOException {
        String plain = "77 (java) R 1 77 77 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 5 6 7";
        assertEquals(7, ProcessCpu.userPlusSystemTicks(plain, "sample"));
    }

    @Test
    void malformedLinesAreReportedWithTheirSource() {
        IOException noName = assertThrows(IOException.class, () -> ProcessCpu.userPlusSystemTicks("4242 java S 1 2", "/proc/4242/stat"));
        assertTrue(noName.getMessage().contains("/proc/4242/stat"), noName.getMessage());
        IOException tooShort = assertThrows(IOException.class, () -> ProcessCpu.userPlusSystemTicks("4242 (java) S 1 2 3", "/proc/4242/stat"));
        assertTrue(tooShort.getMessage().contains("fields"), tooShort.getMessage());
        IOException notNumbers = assertThrows(IOException.class,
                () -> ProcessCpu.userPlusSystemTicks("1 (j) S 1 1 1 0 -1 0 0 0 0 0 x y 0 0", "/proc/1/stat"));
        assertTrue(notNumbers.getMessage().contains("utime"), notNumbers.getMessage());
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void readsThisProcessAndGrowsWithWork() throws IOException {
        ProcessCpu cpu = new ProcessCpu(ProcessCpu.DEFAULT_CLK_TCK);
        long pid = ProcessHandle.current().pid();
        long before = cpu.ticks(pid);
        long spinUntil = System.nanoTime() + 200_000_000L;
        long sink = 0;
        while (System.nanoTime() < spinUntil) {
            sink += sink * 31 + 7;
        }
        assertTrue(cpu.ticks(pid) >= before, "ticks went backwards (" + sink + ")");
        assertTrue(before >= 0);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void aMissingProcessIsNamed() {
        IOException e = assertThrows(IOException.class, () -> new ProcessCpu(100).ticks(Integer.MAX_VALUE));
        assertTrue(e.getMessage().contains(Integer.toString(Integer.MAX_VALUE)), e.getMessage());
    }

    @Test
    void convertsTicksToMicroseconds() {
        assertEquals(20_000.0, new ProcessCpu(100).micros(2));
        assertEquals(1_000.0, new ProcessCpu(1000).micros(1));
    }
}
