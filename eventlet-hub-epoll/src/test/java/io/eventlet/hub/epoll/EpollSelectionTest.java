package io.eventlet.hub.epoll;

import io.eventlet.Eventlet;
import io.eventlet.Hub;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How hub selection treats epoll with every bundled hub on the class path (see the test scope in the POM). */
@EnabledOnOs(OS.LINUX)
class EpollSelectionTest {
    @Test
    void selectionPrefersEpollWhenEveryHubIsOnTheClassPath() {
        List<Hub.ProviderStatus> found = Hub.providers();
        assertInstanceOf(EpollHubProvider.class, found.get(0).provider(), "best first: " + found);
        assertEquals(Set.of("epoll", "poll", "selector"), found.stream().map(Hub.ProviderStatus::name).collect(Collectors.toSet()));
        assertTrue(found.stream().allMatch(Hub.ProviderStatus::available), found.toString());
        assertEquals("poll", Hub.provider("poll").name());
    }

    /** {@code -Deventlet.hub=poll} in a fresh JVM picks the poll hub over the higher-priority epoll hub. */
    @Test
    void propertyNamesTheHubInAFreshJvm() throws Exception {
        assertEquals("poll", runChild("-Deventlet.hub=poll"));
        assertEquals("epoll", runChild());
    }

    /** Without the sun.nio.ch export both native hubs are unavailable: one log line says why. */
    @Test
    void fallingBackToTheSelectorSaysWhyInOneLogLine() throws Exception {
        String out = childOutput(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        assertTrue(out.strip().endsWith("selector"), out);
        List<String> lines = out.lines().filter(l -> l.contains("is unavailable")).toList();
        assertEquals(1, lines.size(), out);
        String line = lines.get(0);
        assertTrue(line.contains("hub 'epoll' is unavailable") && line.contains("using 'selector'")
                && line.contains("--add-exports java.base/sun.nio.ch"), line);
    }

    private static String runChild(String... properties) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        flags.addAll(List.of(properties));
        String[] lines = childOutput(flags).strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Runs {@link ChildMain} in a fresh JVM with exactly {@code flags}; its output, both streams. */
    private static String childOutput(List<String> flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(io.eventlet.kit.ChildJvm.coverageAgent());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    /** Prints the provider of a hub chosen the ordinary way. */
    static final class ChildMain {
        public static void main(String[] args) {
            System.out.println(Eventlet.run(() -> Hub.current().providerName()));
        }
    }
}
