package io.eventlet.http;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.eventlet.http.internal.BodyInput;
import io.eventlet.http.internal.Http1;
import io.eventlet.http.internal.HttpInput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fuzzes the two head parsers exactly as the server and the client run them: a request (its
 * line, fields, Host, framing, expectation, then its body) and a response (interim responses,
 * the final head, its body). Whatever the bytes, each parses, and then what it parsed is
 * well-formed (tokens are tokens, values hold no control byte, a declared length is within the
 * limit), or it is refused with the parser's statuses; never anything else, within the
 * allocation and time bounds of {@link FuzzChecks}.
 *
 * <p>Seeds: {@code HeadParsersFuzzTestInputs/<method>/}, run by every {@code mvn verify};
 * {@code ./eventlet bench fuzz --target HeadParsersFuzzTest} fuzzes.
 */
class HeadParsersFuzzTest {
    private static final long BODY_LIMIT = 4096;
    private static final FuzzChecks SERVER = FuzzChecks.rejecting(HttpException.class, HttpException::status,
            400, 408, 413, 414, 417, 431, 501, 505);
    private static final FuzzChecks CLIENT = FuzzChecks.rejecting(HttpException.class, HttpException::status, 502);

    @FuzzTest(maxDuration = "30s")
    void requestHead(byte[] input) {
        SERVER.check(input, bytes -> {
            HttpInput in = new HttpInput(FuzzChecks.endingStream(bytes, 5));
            for (int requests = 0; requests < 4; requests++) {   // pipelined requests, each checked
                String line = in.readLine(Http1.Limits.SERVER.maxStartLine(), 414, "request line", true);
                if (line == null) {
                    return;
                }
                if (line.isEmpty()) {
                    continue;
                }
                HttpConnection.ParsedHead head = HttpConnection.parseHead(in, line, BODY_LIMIT);
                assertTrue(Http1.isToken(head.line().method()), head.line().method());
                head.headers().forEach((n, v) -> {
                    assertTrue(Http1.isToken(n), n);
                    for (int i = 0; i < v.length(); i++) {
                        assertTrue(Http1.isFieldChar(v.charAt(i)), "a control byte in a value");
                    }
                    assertTrue(v.isEmpty() || (v.charAt(0) != ' ' && v.charAt(v.length() - 1) != '\t'), "untrimmed");
                });
                assertTrue(head.framing().length() <= BODY_LIMIT, "a declared body over the limit passed");
                String path = head.line().path();
                assertTrue(path == null || path.equals("*") || path.startsWith("/"), path);
                byte[] body = new BodyInput(in, head.framing(), BODY_LIMIT, 400, 413, "request body", null, null).readAllBytes();
                assertTrue(body.length <= BODY_LIMIT);
                if (!head.framing().chunked()) {
                    assertEquals(head.framing().length(), body.length);
                }
            }
        });
    }

    @FuzzTest(maxDuration = "30s")
    void responseHead(byte[] input) {
        CLIENT.check(input, bytes -> {
            HttpInput in = new HttpInput(FuzzChecks.endingStream(bytes, 5));
            HttpClient.ResponseHead head = HttpClient.readResponseHead(in, false);
            if (head == null) {
                return;
            }
            int status = head.status().status();
            assertTrue(status >= 101 && status <= 999, "status " + status);
            head.headers().forEach((n, v) -> assertTrue(Http1.isToken(n), n));
            BodyInput body = new BodyInput(in, head.framing(), Long.MAX_VALUE, 502, 502, "response body", null, null);
            byte[] all = body.readAll(BODY_LIMIT, 502, "response body");
            assertTrue(all.length <= BODY_LIMIT);
        });
    }
}
