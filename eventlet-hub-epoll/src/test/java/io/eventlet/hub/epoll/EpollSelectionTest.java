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
@org.junit.jupiter.api.Timeout(120)
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

    /**
     * Without the native hubs' flags the best hub asks for them, all in one message, rather than
     * the JVM falling back to the slower selector hub and hiding the missing flags in a log line.
     */
    @Test
    void withoutTheNativeFlagsTheBestHubNamesThemInsteadOfFallingBack() throws Exception {
        String out = childOutput(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"), 1);
        assertTrue(out.contains("eventlet cannot start a 'epoll' hub: this JVM lacks 2 flags"), out);
        assertTrue(out.contains("\n  --add-exports java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED\n"), out);
        assertTrue(out.contains("poll (priority 20)") && out.contains("selector (priority 10): available"), "the hubs found are listed:\n" + out);
    }

    private static String runChild(String... properties) throws Exception {
        List<String> flags = new ArrayList<>(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-exports", "java.base/sun.nio.ch=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        flags.addAll(List.of(properties));
        String[] lines = childOutput(flags, 0).strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Runs {@link ChildMain} in a fresh JVM with exactly {@code flags}; its output, both streams. */
    private static String childOutput(List<String> flags, int exitCode) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(io.eventlet.kit.ChildJvm.coverageAgent());
        command.addAll(flags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ChildMain.class.getName()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(exitCode, p.waitFor(), out);
        return out;
    }

    /** Prints the provider of a hub chosen the ordinary way. */
    static final class ChildMain {
        public static void main(String[] args) {
            System.out.println(Eventlet.run(() -> Hub.current().providerName()));
        }
    }
}
