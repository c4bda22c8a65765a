package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
import java.lang.reflect.Method;
import java.util.Comparator;
import java.util.Optional;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The bottom of the conformance kit's stack. Each behaviour class extends the one before it
 * ({@link GreenThreadBehaviour}, {@link HubBehaviour}, {@link TimeoutBehaviour},
 * {@link TrampolineBehaviour}, {@link PollerContract}, {@link GreenSocketBehaviour},
 * {@link GreenDatagramBehaviour}, {@link GreenSslSocketBehaviour}) and {@link HubConformance} is
 * the top, so that a hub's conformance test is one JUnit class holding every case (see
 * {@link HubConformance} for why they are not {@code @Nested} classes).
 *
 * <p>In one class JUnit runs every behaviour's {@code @BeforeEach} and {@code @AfterEach} around
 * every case: each behaviour's own set-up and checks act only around its own cases
 * ({@link #isCaseOf}). A class-level {@code @Timeout} would hold for every case, so a behaviour
 * bounds its cases on the methods. The cases of one behaviour run together, in the order they ran
 * in as nested classes ({@link ByBehaviour}).
 */
@TestMethodOrder(HubCases.ByBehaviour.class)
public abstract class HubCases {
    /** The hub under test; a new provider (or the same stateless one) on every call. */
    protected abstract HubProvider provider();

    /** Whether the running case is one of {@code behaviour}'s own (and not a case stacked above it). */
    static boolean isCaseOf(Class<? extends HubCases> behaviour, TestInfo test) {
        return declares(behaviour, test.getTestMethod());
    }

    /** The same, for an extension's callback. */
    static boolean isCaseOf(Class<? extends HubCases> behaviour, ExtensionContext context) {
        return declares(behaviour, context.getTestMethod());
    }

    private static boolean declares(Class<?> behaviour, Optional<Method> testMethod) {
        return testMethod.map(Method::getDeclaringClass).filter(behaviour::equals).isPresent();
    }

    /**
     * Each behaviour's cases together, the top of the stack first; within a behaviour, JUnit's
     * default order (the sort is stable).
     */
    public static final class ByBehaviour implements MethodOrderer {
        @Override
        public void orderMethods(MethodOrdererContext context) {
            context.getMethodDescriptors().sort(
                    Comparator.comparingInt(m -> -depth(m.getMethod().getDeclaringClass())));
        }

        private static int depth(Class<?> c) {
            int depth = 0;
            for (; c != null; c = c.getSuperclass()) {
                depth++;
            }
            return depth;
        }
    }
}
