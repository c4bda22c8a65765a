package io.eventlet.http;

import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.AsynchronousCloseException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
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

    HttpConnection(HttpServer server, HttpServer.Io io, SocketAddress remote) {
        this.server = server;
        this.io = io;
        this.remote = remote;
        this.in = new HttpInput(io.in(), io.awaitReadable());
        this.out = new HttpOutput(io.out());
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
     * still sends (briefly), so that closing with unread bytes does not make the kernel send a
     * reset that destroys the response before the client has read it.
     */
    private void linger() throws IOException {
        out.flush();
        io.shutdownOutput().run();
        timeout(LINGER);
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

    private static final java.time.Duration LINGER = java.time.Duration.ofSeconds(1);

    /** One request and its response; false when the connection must close. */
    /** Sets the socket's timeout only when it changes (both are often the same). */
    private void timeout(java.time.Duration d) {
        if (d != currentTimeout) {
            currentTimeout = d;
            io.timeout().accept(d);
        }
    }

    private java.time.Duration currentTimeout;

    private boolean serveOne() throws IOException {
        idle = true;
        in.releaseIfEmpty();   // no pipelined request waiting: idle without a buffer
        timeout(server.idleTimeout().equals(server.requestTimeout()) ? server.requestTimeout() : server.idleTimeout());
        String requestLine;
        try {
            do {
                requestLine = in.readLine(HttpServer.MAX_REQUEST_LINE, 414, "request line");
                if (requestLine == null) {
                    return false;   // the client closed between requests
                }
            } while (requestLine.isEmpty());   // RFC 9112 §2.2: ignore empty lines before a request
        } catch (HttpException e) {
            idle = false;
            timeout(server.requestTimeout());
            reject(e, "-");
            return false;
        } finally {
            idle = false;
        }
        if (closed || server.draining()) {
            // Shutdown began while this request arrived: serve it, then close.
            closed = true;
        }
        timeout(server.requestTimeout());
        ParsedHead head;
        try {
            head = parseHead(requestLine);
        } catch (HttpException e) {
            reject(e, requestLine);
            return false;
        }
        boolean[] keep = {head.keepAlive && !closed};
        HttpResponse.Exchange ex = new HttpResponse.Exchange() {
            @Override
            public boolean head() {
                return head.method.equals("HEAD");
            }

            @Override
            public boolean http11() {
                return head.http11;
            }

            @Override
            public boolean keepAlive() {
                return keep[0] && !server.draining();
            }

            @Override
            public void close() {
                keep[0] = false;
            }

            @Override
            public long keepAliveSeconds() {
                return HttpServer.seconds(server.idleTimeout());
            }

            @Override
            public OutputStream out() {
                return out;
            }
        };
        if (server.draining()) {
            keep[0] = false;
        }
        Runnable sendContinue = head.expectContinue ? () -> {
            try {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        } : null;
        BodyInput body = new BodyInput(in, head.length, head.chunked, server.maxBodySize(), sendContinue);
        HttpRequest request = new HttpRequest(head.method, head.target, head.http11 ? "HTTP/1.1" : "HTTP/1.0", head.headers, body, remote)
                .raw(new HttpRequest.Raw(in, out, io.timeout()));
        HttpResponse response = new HttpResponse(ex);
        try {
            server.handler().handle(request, response);
        } catch (HttpException e) {
            // The body broke a limit or its framing while the handler read it.
            if (!response.committed()) {
                ex.close();
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
            ex.close();
            errorResponse(response, 500, "internal server error");
            logAccess(request, response);
            return false;
        }
        response.finish();
        logAccess(request, response);
        if (!keep[0]) {
            return false;
        }
        if (head.expectContinue && !body.started()) {
            return false;   // no 100 went out: the client may or may not send the body; do not guess
        }
        return body.drain(MAX_DRAIN);
    }

    /** A parsed request head. */
    private record ParsedHead(String method, String target, boolean http11, HttpHeaders headers, long length,
                              boolean chunked, boolean keepAlive, boolean expectContinue) {
    }

    private ParsedHead parseHead(String line) throws IOException {
        int sp1 = line.indexOf(' ');
        int sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0) {
            throw new HttpException(400, "malformed request line");
        }
        String method = line.substring(0, sp1);
        String target = line.substring(sp1 + 1, sp2);
        String version = line.substring(sp2 + 1);
        for (int i = 0; i < method.length(); i++) {
            if (!HttpHeaders.isTokenChar(method.charAt(i))) {
                throw new HttpException(400, "malformed method");
            }
        }
        if (target.isEmpty()) {
            throw new HttpException(400, "empty request target");
        }
        boolean http11;
        if (version.equals("HTTP/1.1")) {
            http11 = true;
        } else if (version.equals("HTTP/1.0")) {
            http11 = false;
        } else if (version.startsWith("HTTP/")) {
            throw new HttpException(505, "HTTP version " + version + " is not supported");
        } else {
            throw new HttpException(400, "malformed HTTP version");
        }
        HttpHeaders headers = new HttpHeaders();
        int headBytes = line.length();
        while (true) {
            String h = in.readLine(HttpServer.MAX_HEADER_LINE, 431, "header line");
            if (h == null) {
                throw new HttpException(400, "connection ended in the headers");
            }
            if (h.isEmpty()) {
                break;
            }
            headBytes += h.length() + 2;
            if (headBytes > HttpServer.MAX_HEAD) {
                throw new HttpException(431, "request headers larger than " + HttpServer.MAX_HEAD + " bytes");
            }
            if (h.charAt(0) == ' ' || h.charAt(0) == '\t') {
                throw new HttpException(400, "obsolete header line folding");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new HttpException(400, "header line without a name");
            }
            String name = h.substring(0, colon);
            for (int i = 0; i < name.length(); i++) {
                if (!HttpHeaders.isTokenChar(name.charAt(i))) {
                    throw new HttpException(400, "invalid header name");
                }
            }
            String value = h.substring(colon + 1).strip();
            if (value.indexOf('\r') >= 0) {
                throw new HttpException(400, "CR inside a header value");
            }
            headers.addTrusted(name, value);
        }
        if (http11 && !headers.contains("Host")) {
            throw new HttpException(400, "HTTP/1.1 request without Host");
        }
        var lengths = headers.all("Content-Length");
        var codings = headers.all("Transfer-Encoding");
        if (!lengths.isEmpty() && !codings.isEmpty()) {
            throw new HttpException(400, "both Content-Length and Transfer-Encoding (request smuggling)");
        }
        long length = 0;
        boolean chunked = false;
        if (!codings.isEmpty()) {
            if (!http11) {
                throw new HttpException(400, "Transfer-Encoding in an HTTP/1.0 request");
            }
            if (codings.size() != 1 || !codings.get(0).equalsIgnoreCase("chunked")) {
                throw new HttpException(501, "transfer coding " + String.join(", ", codings) + " is not supported");
            }
            chunked = true;
        } else if (!lengths.isEmpty()) {
            String first = null;
            for (String l : lengths) {
                for (String part : l.split(",", -1)) {
                    String v = part.strip();
                    if (first != null && !first.equals(v)) {
                        throw new HttpException(400, "conflicting Content-Length values");
                    }
                    first = v;
                }
            }
            if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new HttpException(400, "bad Content-Length");
            }
            length = Long.parseLong(first);
            if (length > server.maxBodySize()) {
                throw new HttpException(413, "request body of " + length + " bytes is larger than " + server.maxBodySize());
            }
        }
        boolean expectContinue = false;
        String expect = headers.first("Expect");
        if (expect != null) {
            if (!expect.equalsIgnoreCase("100-continue")) {
                throw new HttpException(417, "unsupported expectation " + expect);
            }
            expectContinue = http11;
        }
        boolean keepAlive = http11 ? !headers.hasToken("Connection", "close") : headers.hasToken("Connection", "keep-alive");
        return new ParsedHead(method, target, http11, headers, length, chunked, keepAlive, expectContinue);
    }

    /** Answers a request the parser refused, and the connection closes. */
    private void reject(HttpException e, String requestLine) throws IOException {
        HttpResponse.Exchange ex = new HttpResponse.Exchange() {
            @Override
            public boolean head() {
                return false;
            }

            @Override
            public boolean http11() {
                return true;
            }

            @Override
            public boolean keepAlive() {
                return false;
            }

            @Override
            public void close() {
            }

            @Override
            public long keepAliveSeconds() {
                return 0;
            }

            @Override
            public OutputStream out() {
                return out;
            }
        };
        HttpResponse r = new HttpResponse(ex);
        errorResponse(r, e.status(), e.getMessage());
        access.info("{} - - [{}] \"{}\" {} {} \"-\" \"-\"", host(), ZonedDateTime.now().format(CLF), printable(requestLine), e.status(), r.bytesSent());
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
        access.info("{} - - [{}] \"{}\" {} {} \"{}\" \"{}\"", host(), ZonedDateTime.now().format(CLF), printable(req.toString()),
                resp.status(), resp.bytesSent() == 0 ? "-" : resp.bytesSent(), referer == null ? "-" : printable(referer),
                agent == null ? "-" : printable(agent));
    }

    private String host() {
        return remote instanceof java.net.InetSocketAddress isa ? isa.getAddress().getHostAddress() : String.valueOf(remote);
    }

    /** Log text without quotes or control characters (a request line is attacker-controlled). */
    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 512));
        for (int i = 0; i < s.length() && i < 512; i++) {
            char c = s.charAt(i);
            b.append(c < 32 || c == 127 || c == '"' || c == '\\' ? '?' : c);
        }
        return b.toString();
    }
}
