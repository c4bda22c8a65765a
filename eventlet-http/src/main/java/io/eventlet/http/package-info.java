/**
 * HTTP/1.1 and WebSocket on green threads: eventlet's {@code wsgi} and {@code websocket}, with
 * Java names. One green thread per connection runs blocking-style code; the hub does the waiting.
 *
 * {@snippet :
 * HttpServer server = HttpServer.builder((req, resp) -> resp.send("hello\n"))
 *         .start(new InetSocketAddress(8080));
 * try (HttpClient client = HttpClient.builder().build();
 *      HttpClient.Response r = client.get(URI.create("http://localhost:8080/"))) {
 *     System.out.println(r.status() + " " + r.bodyText());
 * }
 * }
 *
 * <ul>
 *   <li>{@link io.eventlet.http.HttpServer}, {@link io.eventlet.http.HttpHandler},
 *       {@link io.eventlet.http.HttpRequest}, {@link io.eventlet.http.HttpResponse},
 *       {@link io.eventlet.http.HttpHeaders}: the server, with deadlines on the head, the body
 *       and the response, bounded memory and a strict parser (see the README's reliability
 *       table).</li>
 *   <li>{@link io.eventlet.http.HttpClient}: a pooled client with a deadline over each exchange.</li>
 *   <li>{@link io.eventlet.http.WebSocket}: RFC 6455 on either side, with pings, an idle
 *       timeout and a bounded message size.</li>
 *   <li>{@link io.eventlet.http.HttpException}, {@link io.eventlet.http.WebSocketException}: what
 *       bad input is answered with.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * A server runs each connection's handler in its own green thread; a request and its response
 * belong to that thread. {@code HttpServer} and {@code HttpClient} are thread-safe (a client may
 * be shared by green threads of any hub and plain threads); one {@code WebSocket} may be read by
 * one thread and written by others.
 */
package io.eventlet.http;
