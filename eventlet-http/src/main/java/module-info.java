/**
 * HTTP/1.1 and WebSocket over green sockets. The codec ({@code io.eventlet.http.internal}) is not
 * exported.
 */
module io.eventlet.http {
    requires transitive io.eventlet;   // the API hands out green sockets and hubs
    requires org.slf4j;

    exports io.eventlet.http;
}
