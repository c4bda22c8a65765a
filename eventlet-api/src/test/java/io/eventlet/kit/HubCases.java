package io.eventlet.kit;

import io.eventlet.spi.HubProvider;
import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What every behaviour of the conformance kit needs: the hub under test. Each behaviour
 * ({@link GreenThreadBehaviour}, {@link HubBehaviour}, {@link TimeoutBehaviour},
 * {@link TrampolineBehaviour}, {@link PollerContract}, {@link GreenSocketBehaviour},
 * {@link GreenDatagramBehaviour}, {@link GreenSslSocketBehaviour}, {@link JdkInteropBehaviour}) is a JUnit test interface that
 * extends this one and no other, its cases {@code @Test default} methods; {@link HubConformance}
 * implements them all, and a hub module names its provider in a subclass of it.
 *
 * <p>An interface holds no per-case state: a case opens what it works on and closes it when it
 * ends ({@link PollerCaseFixture}, {@link TrampolinePipe}), and a check around a case is a JUnit
 * extension keeping its state in the case's store ({@link NoFdLeaked}). What two behaviours share
 * is in small final helper classes ({@link OnHub}, {@link NonBlockingPipe}, {@link OpenFds}), not
 * in another behaviour.
 *
 * <p>What a behaviour declares on its type applies to every case of the class that implements it:
 * an extension or a {@code @BeforeEach}/{@code @AfterEach} method of one behaviour acts around
 * every behaviour's cases, so it acts only around its own ({@link #isCaseOf}); a type-level
 * {@code @Timeout} would bound every case, so a behaviour bounds its cases on the methods,
 * through a composed annotation ({@code @PollerCase}, {@code @TrampolineCase}, {@code @TimeoutCase}).
 */
public interface HubCases {
    /** The hub under test; a new provider (or the same stateless one) on every call. */
    HubProvider provider();

    /** Whether the running case is one of {@code behaviour}'s own, for its lifecycle methods. */
    static boolean isCaseOf(Class<? extends HubCases> behaviour, TestInfo test) {
        return declares(behaviour, test.getTestMethod());
    }

    /** Whether the running case is one of {@code behaviour}'s own, for its extensions. */
    static boolean isCaseOf(Class<? extends HubCases> behaviour, ExtensionContext context) {
        return declares(behaviour, context.getTestMethod());
    }

    private static boolean declares(Class<?> behaviour, Optional<Method> testMethod) {
        return testMethod.map(Method::getDeclaringClass).filter(behaviour::equals).isPresent();
    }
}
