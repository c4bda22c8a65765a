package io.eventlet.kit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.MethodOrdererContext;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole behaviour suite for one kind of hub. A hub module (or a custom hub) runs it with one
 * small subclass:
 *
 * {@snippet :
 * class MyHubConformanceTest extends HubConformance {
 *     @Override
 *     public HubProvider provider() {
 *         return new MyHubProvider();
 *     }
 * }
 * }
 *
 * <p>A hub whose poller is edge-triggered and ignores interest changes also overrides
 * {@link #pollerHonoursInterest()}.
 *
 * <p>Each behaviour (green threads, the hub loop, timeouts, trampoline, the poller contract,
 * sockets, UDP, TLS, JDK interop, serving) is a test interface depending on {@link HubCases} only; this class composes
 * them, so the subclass is one JUnit class that holds every case. They are not {@code @Nested}
 * classes because Surefire (3.5.4 to 3.6.0) reports a class whose cases all sit in
 * {@code @Nested} classes as {@code Tests run: 0} on its console line and in its {@code .txt}
 * report (and, before 3.5.5, in its XML report's {@code tests} count), counting the cases on lines
 * named after the nested classes, the same for every hub. Composed, each hub's conformance test
 * has one line: {@code Tests run: 203, ... -- in io.eventlet.hub.selector.SelectorConformanceTest}.
 */
@TestMethodOrder(HubConformance.ByBehaviour.class)
public abstract class HubConformance implements GreenThreadBehaviour, HubBehaviour, TimeoutBehaviour,
        TrampolineBehaviour, PollerContract, GreenSocketBehaviour, GreenDatagramBehaviour, GreenSslSocketBehaviour,
        JdkInteropBehaviour, ServeBehaviour {
    /** False for an edge-triggered poller that ignores interest changes (the SPI allows it). */
    protected boolean pollerHonoursInterest() {
        return true;
    }

    @Override
    public final boolean honoursInterest() {
        return pollerHonoursInterest();
    }

    /**
     * Each behaviour's cases together, in the order they have always run in: the last behaviour
     * listed above first (TLS, UDP, sockets, ..., green threads), after any case the test class
     * declares itself; within a behaviour, JUnit's default order (the sort is stable).
     */
    public static final class ByBehaviour implements MethodOrderer {
        @Override
        public void orderMethods(MethodOrdererContext context) {
            List<Class<?>> behaviours = behaviours(context.getTestClass());
            context.getMethodDescriptors().sort(Comparator.comparingInt(m -> rank(behaviours, m.getMethod())));
        }

        /** The behaviour interfaces {@code testClass} and its superclasses implement, in declaration order. */
        private static List<Class<?>> behaviours(Class<?> testClass) {
            List<Class<?>> behaviours = new ArrayList<>();
            for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
                for (Class<?> i : c.getInterfaces()) {
                    if (HubCases.class.isAssignableFrom(i) && !behaviours.contains(i)) {
                        behaviours.add(i);
                    }
                }
            }
            return behaviours;
        }

        private static int rank(List<Class<?>> behaviours, Method m) {
            int i = behaviours.indexOf(m.getDeclaringClass());
            return i < 0 ? Integer.MIN_VALUE : -i;
        }
    }
}
