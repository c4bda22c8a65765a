package io.eventlet.http;

import io.eventlet.Eventlet;
import io.eventlet.http.internal.BodyInput;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpInput;
import io.eventlet.http.internal.HttpOutput;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One connection's request loop, in its own green thread. */
final class HttpConnection {
    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);
    private static final Logger access = LoggerFactory.getLogger("io.eventlet.http.access");
    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    /** Unread body bytes the server reads and drops to keep a connection; beyond, it closes. */
    private static final long MAX_DRAIN = 256 * 1024;

    private final HttpServer server;
    private final HttpServer.Io io;
    private final SocketAddress remote;
    private final HttpInput in;
    private final HttpOutput out;
    private volatile boolean idle;
    private volatile boolean closed;
    /** The socket's timeout, set through the input's record of it (the output's pace uses it too). */
    private final java.util.function.Consumer<Duration> socketTimeout;
    /** TLS: reads are layered over socket reads (and there is no awaitReadable). */
    private final boolean tls;
    /** When the connection was accepted: its first request head is due a head timeout later. */
    private final long acceptedAt;

    HttpConnection(HttpServer server, HttpServer.Io io, SocketAddress remote, long acceptedAt) {
        this.server = server;
        this.io = io;
        this.remote = remote;
        this.acceptedAt = acceptedAt;
        HttpInput.Await await = io.awaitReadable();
        this.tls = await == null;   // only TLS has no awaitReadable
        this.in = new HttpInput(io.in(), await, io.timeout(), tls);
        this.out = new HttpOutput(io.out());
        this.socketTimeout = in::socketTimeout;
    }

    /**
     * Loads what the first access-log line needs (the time-zone rules, the formatter's locale
     * data) now: loaded lazily, they open files, and once descriptors have run out that fails
     * with a NoClassDefFoundError on every later request.
     */
    static void preload() {
        ZonedDateTime.now().format(CLF);
    }

    boolean holdsBuffers() {
        return in.holdsBuffer() || out.holdsBuffer();
    }

    /** Shutdown: an idle keep-alive connection is closed now; a busy one after its response. */
    void closeIfIdle() {
        if (idle) {
            forceClose();
        }
    }

    void forceClose() {
        closed = true;
        try {
            io.close().run();
        } catch (IOException e) {
            // closing anyway
        }
    }

    void run() {
        try {
            while (!closed && !server.draining()) {
                if (!serveOne()) {
                    break;
                }
                requests++;
                if (in.hasBuffered()) {
                    // A pipelined request is already here and would be served without a wait: let
                    // the hub's other green threads run first, or one client that pipelines
                    // thousands of requests holds the hub (seen as 1.5 s latencies for everyone else).
                    Eventlet.sleep();
                }
            }
            if (!closed) {
                linger();
            }
        } catch (SocketTimeoutException | AsynchronousCloseException e) {
            // idle or stalled client, or shutdown: the connection just ends
        } catch (IOException e) {
            log.debug("connection from {} ended: {}", remote, e.toString());
        } finally {
            in.release();
            out.release();
        }
    }

    /**
     * A server-side close with the response out: half-close, then read and drop what the client
     * still sends (for at most {@link #LINGER} in all, and {@link #MAX_DRAIN} bytes), so that
     * closing with unread bytes does not make the kernel send a reset that destroys the response
     * before the client has read it.
     */
    private void linger() throws IOException {
        out.flush();
        io.shutdownOutput().run();
        in.readTimeout(LINGER);
        in.deadline(System.nanoTime() + LINGER.toNanos(), 408, "the client's close");
        byte[] skip = new byte[8192];
        long dropped = 0;
        try {
            for (int n; dropped < MAX_DRAIN && (n = in.read(skip, 0, skip.length)) > 0; ) {
                dropped += n;
            }
        } catch (IOException e) {
            // timeout or reset: the client had its chance
        }
    }

    private static final Duration LINGER = Duration.ofSeconds(1);

    /** Requests served on this connection so far. */
    private int requests;

    /** Empty lines accepted before a request line (RFC 9112 §2.2 asks for at least one). */
    private static final int MAX_EMPTY_LINES = 8;

    /** One request and its response; false when the connection must close. */
    private boolean serveOne() throws IOException {
        idle = true;
        if (requests > 0) {
            in.skipBufferedLineEnds();   // a stray CRLF after the last body is no request: idle as if nothing came
        }
        in.releaseIfEmpty();   // no pipelined request waiting: idle without a buffer
        long headTimeout = server.headerTimeout().toNanos();
        String requestLine;
        long before = in.hasBuffered() ? -1 : in.received();   // -1: this request's first bytes are here already
        try {
            if (requests == 0) {
                // A new connection: its first head must be whole within the head timeout of the accept.
                in.readTimeout(server.requestTimeout());
                in.deadline(acceptedAt + headTimeout, 408, "the request head");
            } else {
                // Keep-alive: the idle timeout until the next request's first byte, then the head timeout.
                in.clearDeadline();
                in.readTimeout(server.idleTimeout());
                if (!in.hasBuffered()) {
                    if (server.full()) {
                        closed = true;   // a client waits for a slot: it gets this one rather than an idler
                        return false;
                    }
                    server.idling(this, true);
                    if (tls) {
                        // No awaitReadable over TLS: the wait is a read of records, each socket read
                        // with a fresh idle timeout; a record dripped slowly must not hold it for days.
                        in.deadline(System.nanoTime() + server.idleTimeout().toNanos(), 408, "the next request");
                    }
                    try {
                        if (!in.awaitBytes()) {
                            return false;   // the client closed between requests
                        }
                    } finally {
                        server.idling(this, false);
                    }
                }
                in.readTimeout(server.requestTimeout());
                in.deadline(System.nanoTime() + headTimeout, 408, "the request head");
            }
            int empty = 0;
            do {
                requestLine = in.readLine(LIMITS.maxStartLine(), 414, "request line", true);
                if (requestLine == null) {
                    return false;   // the client closed between requests
                }
            } while (requestLine.isEmpty() && ++empty <= MAX_EMPTY_LINES);
        } catch (HttpException e) {
            idle = false;
            if (e.status() == 408 && (in.received() == before || tls)) {
                // Nothing of a request arrived: nothing to answer. Over TLS the handshake may not be
                // done, and answering would read for it again, under no deadline: just close.
                return false;
            }
            reject(e, "-");
            return false;
        } finally {
            idle = false;
        }
        if (closed || server.draining()) {
            // Shutdown began while this request arrived: serve it, then close.
            closed = true;
        }
        ParsedHead head;
        try {
            if (requestLine.isEmpty()) {
                throw new HttpException(400, "too many empty lines before the request line");
            }
            head = parseHead(in, requestLine, server.maxBodySize());
        } catch (HttpException e) {
            reject(e, requestLine);
            return false;
        }
        in.clearDeadline();
        in.readTimeout(server.requestTimeout());
        out.pace(socketTimeout, server.requestTimeout(), server.sendPace());
        Http1Exchange[] exchange = new Http1Exchange[1];
        Runnable sendContinue = head.expectContinue ? () -> {
            if (exchange[0].committed()) {
                return;   // the answer has begun: a 100 now would land inside it (the client sends after its wait)
            }
            try {
                out.write(CONTINUE);
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } : null;
        BodyInput body = new BodyInput(in, head.framing, server.maxBodySize(), 400, 413, "request body", server.bodyPace(), sendContinue);
        Http1Exchange ex = new Http1Exchange(out, head.line.method().equals("HEAD"), head.line.http11(),
                head.keepAlive && !closed && !server.draining(), HttpServer.seconds(server.idleTimeout()),
                // Closing after this response: when draining, when a client waits for a slot, and
                // when the body failed (its position in the stream is unknown).
                () -> !server.draining() && !server.full() && !body.failed());
        exchange[0] = ex;
        HttpRequest request = new HttpRequest(head.line, head.headers, body, remote)
                .raw(new HttpRequest.Raw(in, out, in::readTimeout));
        HttpResponse response = new HttpResponse(ex);
        try {
            server.handler().handle(request, response);
        } catch (HttpException e) {
            // The body broke a limit, its framing or its deadline while the handler read it.
            if (!response.committed()) {
                ex.closeAfter();
                errorResponse(response, e.status(), e.getMessage());
            }
            logAccess(request, response);
            return false;
        } catch (SocketTimeoutException | AsynchronousCloseException e) {
            throw e;
        } catch (Throwable t) {
            if (t instanceof io.eventlet.GreenThreadExit) {
                throw (io.eventlet.GreenThreadExit) t;
            }
            log.error("handler failed on {} from {}", request, remote, t);
            if (response.committed()) {
                logAccess(request, response);
                return false;   // headers are out: only closing tells the client something broke
            }
            ex.closeAfter();
            errorResponse(response, 500, "internal server error");
            logAccess(request, response);
            return false;
        }
        response.finish();
        out.endPace();
        logAccess(request, response);
        if (!ex.keepAlive()) {
            return false;
        }
        if (head.expectContinue && !body.started()) {
            return false;   // no 100 went out: the client may or may not send the body; do not guess
        }
        try {
            return body.drain(MAX_DRAIN);
        } catch (HttpException e) {
            return false;   // the unread rest is broken or late: the response is out, just close
        }
    }

    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final Http1.Limits LIMITS = Http1.Limits.SERVER;

    /** A parsed request head. */
    record ParsedHead(Http1.RequestLine line, HttpHeaders headers, Http1.Framing framing, boolean keepAlive,
                              boolean expectContinue) {
    }

    /**
     * The rest of a request head after its request line, read and checked as the server does:
     * the fields, Host, the framing (a declared body over {@code maxBody} is a 413) and the
     * expectation. Static, so that the fuzz test runs exactly this.
     */
    static ParsedHead parseHead(HttpInput in, String requestLine, long maxBody) throws IOException {
        Http1.RequestLine line = Http1.parseRequestLine(requestLine);
        HttpHeaders headers = new HttpHeaders();
        Http1.readFields(in, LIMITS, requestLine.length() + 2, 400, 431, headers::addTrusted);
        Http1.checkHost(headers, line.http11());
        Http1.Framing framing = Http1.requestFraming(headers, line.http11(), maxBody);
        boolean expectContinue = false;
        List<String> expect = headers.all("Expect");
        if (!expect.isEmpty()) {
            if (expect.size() != 1 || !expect.get(0).equalsIgnoreCase("100-continue")) {
                throw new HttpException(417, "unsupported expectation " + Http1.printable(String.join(", ", expect)));
            }
            expectContinue = line.http11();
        }
        boolean keepAlive = Http1.keepAlive(line.http11(), headers);
        return new ParsedHead(line, headers, framing, keepAlive, expectContinue);
    }

    /** Answers a request the parser refused, and the connection closes. */
    private void reject(HttpException e, String requestLine) throws IOException {
        in.clearDeadline();   // the answer is written under the per-write timeout, not what is left of a deadline
        in.readTimeout(server.requestTimeout());
        HttpResponse r = new HttpResponse(Http1Exchange.refusal(out));
        errorResponse(r, e.status(), e.getMessage());
        access.info("{} - - [{}] \"{}\" {} {} \"-\" \"-\"", host(), ZonedDateTime.now().format(CLF), Http1.printable(requestLine, 512), e.status(), r.bytesSent());
    }

    private void errorResponse(HttpResponse r, int status, String message) throws IOException {
        r.headers().remove("Content-Length");
        r.headers().remove("Transfer-Encoding");
        r.status(status).header("Content-Type", "text/plain; charset=utf-8");
        r.send(status + " " + HttpResponse.reason(status) + ": " + message + "\n");
    }

    private void logAccess(HttpRequest req, HttpResponse resp) {
        if (!access.isInfoEnabled()) {
            return;
        }
        String referer = req.header("Referer");
        String agent = req.header("User-Agent");
        access.info("{} - - [{}] \"{}\" {} {} \"{}\" \"{}\"", host(), ZonedDateTime.now().format(CLF), Http1.printable(req.toString(), 512),
                resp.status(), resp.bytesSent() == 0 ? "-" : resp.bytesSent(), referer == null ? "-" : Http1.printable(referer, 512),
                agent == null ? "-" : Http1.printable(agent, 512));
    }

    private String host() {
        return remote instanceof java.net.InetSocketAddress isa ? isa.getAddress().getHostAddress() : String.valueOf(remote);
    }
}
