/**
 * {@code ./eventlet bench compare}: the one table (and chart) that sets eventlet-java beside
 * plain virtual threads, Netty and the JDK's HTTP server from the echo and HTTP results.
 *
 * <h2>Threading</h2>
 * Runs after the loads, on their result files.
 */
package io.eventlet.bench.compare;
