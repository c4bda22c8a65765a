/**
 * The service provider interface for hubs: what a hub module implements so the one loop in
 * {@code eventlet-api} can wait for readiness with it. A hub module is one public
 * {@link io.eventlet.spi.HubProvider}, declared for {@link java.util.ServiceLoader} (in
 * {@code META-INF/services} and {@code provides} in its {@code module-info}), and one
 * {@link io.eventlet.spi.Poller}; the loop, timers and green threads are never the hub's concern.
 *
 * {@snippet :
 * public final class MyHubProvider implements HubProvider {
 *     public String name() { return "mine"; }
 *     public int priority() { return 5; }                  // selector 10, poll 20, epoll 30
 *     public Optional<Throwable> unavailabilityCause() { return Optional.empty(); }
 *     public Poller open() throws IOException { return new MyPoller(); }
 * }
 * }
 *
 * <ul>
 *   <li>{@link io.eventlet.spi.HubProvider}: a kind of hub, its priority, and whether it works here.</li>
 *   <li>{@link io.eventlet.spi.Poller}: register channels with an interest, poll with a timeout,
 *       wake up from another thread.</li>
 *   <li>{@link io.eventlet.spi.WakeupSignal}: the cross-thread wake-up a native poller needs.</li>
 *   <li>{@link io.eventlet.spi.ChannelFd}: the file descriptor of a JDK channel, for native pollers.</li>
 * </ul>
 *
 * <p>The conformance kit in eventlet-api's test jar ({@code io.eventlet.kit}) runs the whole
 * behaviour suite against a provider from a 12-line subclass.
 *
 * <h2>Threading</h2>
 * A poller is used only by its hub's thread, except {@link io.eventlet.spi.Poller#wakeup()},
 * which any thread may call and which never blocks or throws. Providers are stateless and
 * thread-safe.
 */
package io.eventlet.spi;
