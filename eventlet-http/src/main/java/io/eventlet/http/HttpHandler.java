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
    /**
     * Answers one request.
     *
     * @param request the request; its body may be read once
     * @param response where the answer goes; ended for the handler when it returns
     * @throws Exception any failure: a 500 when the headers are not out yet, else the connection is
     *     closed
     */
    void handle(HttpRequest request, HttpResponse response) throws Exception;
}
