package io.eventlet.jnr;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When the JVM denies native access (what a later JDK will do by default without the flag), the
 * probe's cause names {@value NativeProbe#NATIVE_ACCESS_FLAG} and keeps the real failure; any other
 * failure, or one in a JVM with native access enabled, is kept as it is.
 */
class DeniedNativeAccessTest {
    /** A fresh JVM, as the setting is JVM-wide and this one has native access enabled. */
    @Test
    @DisabledOnOs(OS.WINDOWS)
    void inAJvmThatDeniesItTheCauseNamesTheFlag() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The build's coverage agent, if any: the child appends to the same file.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("-javaagent:") && a.contains("jacoco")).forEach(command::add);
        command.addAll(List.of("--illegal-native-access=deny", "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(child.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, child.exitValue(), out);
        assertTrue(out.contains("java.lang.IllegalCallerException: this JVM denies native access to JNR's native stub (jffi, on the class path); "
                + "start it with " + NativeProbe.NATIVE_ACCESS_FLAG), out);
        assertTrue(out.contains("caused by java.lang.UnsatisfiedLinkError"), out);
    }

    /**
     * Probes a hub whose exercise makes one libc call through JNR, and prints the cause. A call, not
     * just the binding: without its native stub JNR still hands out a binding, whose calls throw.
     */
    static final class Child {
        public static void main(String[] args) {
            Throwable cause = NativeProbe.posix("test", "selector").exercise(() -> Native.libc().close(-1)).unavailabilityCause().orElseThrow();
            System.out.println(cause + "\ncaused by " + cause.getCause());
        }
    }

    /** jffi reports the JDK's refusal as text inside an UnsatisfiedLinkError, not as a cause: the messages are read. */
    @Test
    void jffisReportOfTheRefusalGetsTheFlagAndIsKept() {
        UnsatisfiedLinkError jffi = new UnsatisfiedLinkError("could not load FFI provider jnr.ffi.provider.jffi.Provider");
        jffi.initCause(new UnsatisfiedLinkError("could not get native definition for type `POINTER`, original error message follows: "
                + "java.lang.IllegalCallerException: Illegal native access from an unnamed module"));
        Throwable advice = NativeProbe.deniedNativeAccess(jffi, Optional.of(DeniedNativeAccessTest.class.getModule())).orElseThrow();
        assertInstanceOf(IllegalCallerException.class, advice);
        assertTrue(advice.getMessage().endsWith("start it with " + NativeProbe.NATIVE_ACCESS_FLAG), advice.getMessage());
        assertSame(jffi, advice.getCause());
    }

    /** On the module path the flag names jffi's module instead of ALL-UNNAMED. */
    @Test
    void aNamedModuleIsNamedInTheFlag() {
        Throwable named = NativeProbe.deniedNativeAccess(new IllegalCallerException("denied"), Optional.of(Object.class.getModule())).orElseThrow();
        assertTrue(named.getMessage().contains("module java.base") && named.getMessage().endsWith("--enable-native-access=java.base"),
                named.getMessage());
    }

    @Test
    void otherFailuresOrEnabledNativeAccessGetNoAdvice() {
        Module unnamed = DeniedNativeAccessTest.class.getModule();
        assertEquals(Optional.empty(), NativeProbe.deniedNativeAccess(new IOException("EMFILE"), Optional.of(unnamed)));
        assertEquals(Optional.empty(), NativeProbe.deniedNativeAccess(new NoClassDefFoundError(), Optional.of(unnamed)));
        assertEquals(Optional.empty(), NativeProbe.deniedNativeAccess(new IllegalCallerException("denied"), Optional.empty()));
    }

    /** The JVM running these tests has the flag: even a failure that looks like a refusal is kept as it is. */
    @Test
    void withNativeAccessEnabledAFailureIsKeptAsItIs() {
        IllegalCallerException failure = new IllegalCallerException("Illegal native access, or so it says");
        assertSame(failure, NativeProbe.posix("test", "selector").exercise(() -> {
            throw failure;
        }).probe("Linux", "amd64").orElseThrow());
    }
}
