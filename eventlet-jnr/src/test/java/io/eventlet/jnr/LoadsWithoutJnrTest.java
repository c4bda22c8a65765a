package io.eventlet.jnr;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loading this module's classes touches no native code: in a class loader that sees them but not
 * JNR (nor jffi and its native stub), every class loads and initialises, a probe is built and
 * names its hub, an {@link ErrnoException} is made; only the exercise reaches for JNR, and its
 * absence becomes the probe's cause.
 */
class LoadsWithoutJnrTest {
    /** The holder of the shared binding: initialising it is loading libc. */
    private static final String LIBC_HOLDER = Native.class.getName() + "$Shared";

    @Test
    void everyClassLoadsAndTheProbeReportsJnrMissing() throws Exception {
        Path classes = Path.of(NativeProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path testClasses = Path.of(Isolated.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.filter(f -> f.toString().endsWith(".class") && !f.getFileName().toString().equals("package-info.class")
                            && !f.getFileName().toString().equals("module-info.class"))
                    .map(f -> classes.relativize(f).toString().replace(java.io.File.separatorChar, '.').replaceAll("\\.class$", ""))
                    .sorted().toList();
        }
        assertTrue(names.containsAll(List.of(NativeProbe.class.getName(), Native.class.getName(), ErrnoException.class.getName(),
                Errno.class.getName(), LibC.class.getName(), LIBC_HOLDER)), names.toString());
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), testClasses.toUri().toURL()},
                ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> loader.loadClass("jnr.ffi.LibraryLoader"), "JNR is out of sight");
            for (String name : names) {
                Class<?> type = Class.forName(name, !name.equals(LIBC_HOLDER), loader);
                assertEquals(loader, type.getClassLoader(), name);
            }
            Class<?> isolated = Class.forName(Isolated.class.getName(), true, loader);
            assertEquals(loader, isolated.getClassLoader());
            Method answers = isolated.getDeclaredMethod("answers");
            answers.setAccessible(true);   // another loader's package: package access does not reach it
            List<?> answered = (List<?>) answers.invoke(null);
            assertEquals("isolated", answered.get(0));
            assertEquals("NativeProbe[isolated, not probed yet]", answered.get(1));
            assertTrue(((String) answered.get(2)).startsWith("close(fd 7) failed with errno 9"), (String) answered.get(2));
            Throwable cause = assertInstanceOf(NoClassDefFoundError.class, answered.get(3));
            assertTrue(cause.getMessage().contains("jnr/ffi"), cause.toString());
        }
    }

    /** Run inside the loader without JNR: everything here but the exercise must work there. */
    static final class Isolated {
        private Isolated() {
        }

        /** The probe's hub and description, an exception's message, then the probe's cause. */
        static List<Object> answers() {
            NativeProbe probe = NativeProbe.posix("isolated", "selector")
                    .requires(java.util.Optional::empty)
                    .exercise(() -> Native.libc().close(-1));
            String hub = probe.hub();
            String before = probe.toString();
            String message = new ErrnoException("close(fd 7)", Errno.EBADF, "Bad file descriptor").getMessage();
            return List.of(hub, before, message, probe.unavailabilityCause().orElseThrow());
        }
    }
}
