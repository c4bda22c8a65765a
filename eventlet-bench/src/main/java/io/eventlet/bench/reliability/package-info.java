/**
 * {@code ./eventlet bench reliability}: the hostile-client attacks (slowloris heads, slow bodies,
 * idle keep-alives, pipelining floods, descriptor exhaustion) run against a server child JVM,
 * each with a legitimate client beside it, reporting whether the server stayed up and served.
 *
 * <h2>Threading</h2>
 * Each attack runs in its own green threads; the server is a child JVM.
 */
package io.eventlet.bench.reliability;
