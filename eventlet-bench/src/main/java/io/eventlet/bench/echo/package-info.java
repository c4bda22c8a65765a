/**
 * The echo load harness ({@code ./eventlet bench echo}): green servers on every hub, plain JDK
 * virtual threads and Netty, each in a child JVM pinned to one core, driven by {@link
 * io.eventlet.bench.echo.EchoLoad} from the other core, ranked by server CPU time per round trip.
 *
 * <h2>Threading</h2>
 * The load runs its clients on its own hubs; a server process knows nothing of the harness.
 */
package io.eventlet.bench.echo;
