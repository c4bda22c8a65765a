package io.eventlet.http;

/**
 * Handles one request in blocking style, in the green thread of its connection: read the request
 * (and its body, if wanted), then answer through the response. A handler that throws gets a 500
 * (or, once the headers are out, a closed connection).
 *
 * {@snippet :
 * HttpHandler hello = (req, resp) -> resp.send("hello " + req.path() + "\n");
 * }
 */
@FunctionalInterface
public interface HttpHandler {
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
