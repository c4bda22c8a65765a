/**
 * The hello-world HTTP servers the HTTP load ({@code ./eventlet bench http}, wrk) compares.
 *
 * <h2>Threading</h2>
 * Each server runs in its own child JVM.
 */
package io.eventlet.bench.http;
