package io.eventlet.http;

import io.eventlet.kit.TestCa;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server against clients nobody here wrote — curl (keep-alive, chunked upload,
 * 100-continue, HTTPS) and Python's http.client (pipelining, a malformed request over a raw
 * socket) — on every hub.
 */
class HttpServerClientsTest {
    private HttpServer server;

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    private static void handle(HttpRequest req, HttpResponse resp) throws Exception {
        if (req.path().equals("/port")) {
            resp.send(Integer.toString(((InetSocketAddress) req.remoteAddress()).getPort()));
        } else {
            HttpServerTest.handle(req, resp);
        }
    }

    private int start(String hub, HttpServer.Builder b) throws IOException {
        server = b.hub(hub).start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return server.address().getPort();
    }

    private static String run(Path dir, List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + command);
        assertEquals(0, p.exitValue(), command + " said: " + out);
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void curlKeepsAliveUploadsChunkedAndWaitsFor100Continue(String hub) throws Exception {
        int port = start(hub, HttpServer.builder(HttpServerClientsTest::handle));
        String base = "http://127.0.0.1:" + port;
        String ports = run(dir, List.of("curl", "-sS", "--max-time", "20", base + "/port", "-w", " ", base + "/port"));
        String[] two = ports.strip().split(" ");
        assertEquals(two[0], two[1], "both requests on one kept-alive connection: " + ports);

        byte[] data = new byte[300_000];
        new Random(5).nextBytes(data);
        Path file = dir.resolve("upload.bin");
        Files.write(file, data);
        Path back = dir.resolve("back.bin");
        run(dir, List.of("curl", "-sS", "--max-time", "20", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file,
                "-o", back.toString(), base + "/echo"));
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(back)), "chunked upload echoed");

        String verbose = run(dir, List.of("curl", "-sS", "-v", "--max-time", "20", "-H", "Expect: 100-continue",
                "--data-binary", "@" + file, "-o", back.toString(), base + "/echo"));
        assertTrue(verbose.contains("100 Continue"), verbose);
        assertTrue(java.util.Arrays.equals(data, Files.readAllBytes(back)), "100-continue upload echoed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void curlFetchesOverHttps(String hub) throws Exception {
        TestCa ca = TestCa.get();
        int port = start(hub, HttpServer.builder(HttpServerClientsTest::handle).tls(ca.serverContext(), null));
        String out = run(dir, List.of("curl", "-sS", "--max-time", "20", "--cacert", ca.caPem.toString(),
                "--resolve", "localhost:" + port + ":127.0.0.1", "https://localhost:" + port + "/secure", "https://localhost:" + port + "/again"));
        assertEquals("hello GET /secure\nhello GET /again\n", out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"selector", "epoll", "poll"})
    void pythonPipelinesAndSendsAMalformedRequest(String hub) throws Exception {
        int port = start(hub, HttpServer.builder(HttpServerClientsTest::handle));
        String script = String.join("\n",
                "import http.client, socket, sys",
                "port = int(sys.argv[1])",
                "class One:",
                "    # every response reads from one buffered file: a new makefile per response",
                "    # would lose what the previous one buffered ahead",
                "    # (and a finished response closes its file: this one stays open)",
                "    def __init__(self, f): self.f = f",
                "    def makefile(self, *args, **kwargs): return self",
                "    def __getattr__(self, name): return getattr(self.f, name)",
                "    def close(self): pass",
                "s = socket.create_connection(('127.0.0.1', port))",
                "f = s.makefile('rb')",
                "s.sendall(b'GET /one HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n'",
                "          b'POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 3\\r\\n\\r\\nabc'",
                "          b'GET /three HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')",
                "for _ in range(3):",
                "    r = http.client.HTTPResponse(One(f), method='GET')",
                "    r.begin()",
                "    print(r.status, r.read().decode().strip())",
                "s.close()",
                "s = socket.create_connection(('127.0.0.1', port))",
                "s.sendall(b'POST /echo HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n0\\r\\n\\r\\n')",
                "r = http.client.HTTPResponse(s, method='POST')",
                "r.begin()",
                "print(r.status, r.getheader('Connection'))",
                "");
        Path py = dir.resolve("pipeline.py");
        Files.writeString(py, script);
        String out = run(dir, new ArrayList<>(List.of("python3", py.toString(), Integer.toString(port))));
        assertEquals("200 hello GET /one\n200 abc\n200 hello GET /three\n400 close\n", out);
    }
}
