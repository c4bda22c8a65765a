package io.eventlet.kit;

/**
 * The whole behaviour suite for one kind of hub. A hub module (or a custom hub) runs it with one
 * small subclass:
 *
 * {@snippet :
 * class MyHubConformanceTest extends HubConformance {
 *     @Override
 *     protected HubProvider provider() {
 *         return new MyHubProvider();
 *     }
 * }
 * }
 *
 * <p>This class is the top of a stack of behaviour classes (green threads, the hub loop,
 * timeouts, trampoline, the poller contract, sockets, UDP, TLS; {@link HubCases} is the bottom),
 * so the subclass is one JUnit class that holds every case. They are not {@code @Nested} classes
 * here because Surefire (3.5.4 to 3.6.0) reports a class whose cases all sit in {@code @Nested}
 * classes as {@code Tests run: 0}: on its console line, in its {@code .txt} report and, before
 * 3.5.5, in its XML report's {@code tests} count. The cases were counted only on console lines
 * named after the nested classes ({@code io.eventlet.kit.HubConformance$Sockets}), the same for
 * every hub. Stacked, each hub's conformance test has one line:
 * {@code Tests run: 170, ... -- in io.eventlet.hub.selector.SelectorConformanceTest}.
 */
public abstract class HubConformance extends GreenSslSocketBehaviour {
    /** False for an edge-triggered poller that ignores interest changes (the SPI allows it). */
    protected boolean pollerHonoursInterest() {
        return true;
    }

    @Override
    protected final boolean honoursInterest() {
        return pollerHonoursInterest();
    }
}
