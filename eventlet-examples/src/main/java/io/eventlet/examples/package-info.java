/**
 * The runnable examples and the demo behind {@code ./eventlet NAME}: eventlet's own examples
 * (echo, chat, connect, crawl, forward, HTTP, WebSocket chat, backdoor) written with this
 * library, and {@link io.eventlet.examples.Demo}, which runs an echo and an HTTP load against
 * every available hub. {@link io.eventlet.examples.Launcher} is the command line (picocli);
 * each example is one class whose code is what the README quotes.
 *
 * <h2>Threading</h2>
 * Each example runs on one hub, in green threads, except where it says it spreads over hubs.
 */
package io.eventlet.examples;
