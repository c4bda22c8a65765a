/**
 * The portable hub: readiness from a {@link java.nio.channels.Selector}, on every platform the
 * JDK runs on (priority 10, the fallback when no native hub is available). One public
 * {@link io.eventlet.hub.selector.SelectorHubProvider}, declared for the service loader, and
 * one package-private poller.
 *
 * <h2>Threading</h2>
 * The poller is used only by its hub's thread, except {@code wakeup()}, which any thread may
 * call; the provider is stateless.
 */
package io.eventlet.hub.selector;
