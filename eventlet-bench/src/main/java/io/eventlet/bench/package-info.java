/**
 * JMH benchmarks of the runtime, one class per concept (switch, spawn, spawn and join, yield,
 * timers, queues, semaphores, green pools, tpool, sockets), each with {@code @Param hub} over every
 * hub and a plain-JDK baseline in the same run ({@link io.eventlet.bench.HubBenchmark} declares the
 * JMH defaults and flags once); and {@link io.eventlet.bench.ChildServer}, how the load harnesses
 * start a server in a child JVM pinned to one core.
 *
 * <h2>Threading</h2>
 * JMH runs each benchmark in its own forked JVM; a benchmark's state belongs to its JMH thread.
 */
package io.eventlet.bench;
