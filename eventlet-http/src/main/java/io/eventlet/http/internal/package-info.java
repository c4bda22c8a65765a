/**
 * The one strict HTTP/1 codec shared by the server, the client and the WebSocket handshake. Not
 * part of the API: the module does not export it.
 *
 * <ul>
 *   <li>{@link io.eventlet.http.internal.Http1}: the RFC 9110/9112 grammar (request and status
 *       lines, target forms, field lines, framing, chunk-size lines, dates), with the choices the
 *       RFCs leave open written in its Javadoc.</li>
 *   <li>{@link io.eventlet.http.internal.HttpInput}: lines with a deadline across reads;
 *       {@link io.eventlet.http.internal.BodyInput}: framed bodies under a
 *       {@link io.eventlet.http.internal.Pace}; {@link io.eventlet.http.internal.HttpOutput}: the
 *       writer and its chunk encoder.</li>
 *   <li>{@link io.eventlet.http.internal.Buffers}: the shared, bounded pool of I/O buffers.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * An input or output belongs to one connection and is used by one thread at a time (the
 * connection's green thread); {@code Buffers} is thread-safe and lock-free.
 */
package io.eventlet.http.internal;
