package io.eventlet.examples;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The examples over real sockets: echo, forward (with half-close), connect, and usage errors. */
class ExamplesIntegrationTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private static Socket client(InetSocketAddress at) throws IOException {
        Socket s = new Socket(at.getAddress(), at.getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    @Test
    void echoAnswersEveryLineOfSeveralClients() throws Exception {
        try (ServedOnHub echo = EchoExample.start(LOOPBACK, 10);
             Socket a = client(echo.address()); Socket b = client(echo.address())) {
            var ina = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
            var inb = new BufferedReader(new InputStreamReader(b.getInputStream(), StandardCharsets.UTF_8));
            a.getOutputStream().write("hello\nwörld\n".getBytes(StandardCharsets.UTF_8));
            b.getOutputStream().write("from b\n".getBytes(StandardCharsets.UTF_8));
            assertEquals("hello", ina.readLine());
            assertEquals("wörld", ina.readLine());
            assertEquals("from b", inb.readLine());
        }
    }

    @Test
    void forwardPumpsBothWaysAndPassesAHalfClose() throws Exception {
        try (ServedOnHub echo = EchoExample.start(LOOPBACK, 10);
             ServedOnHub fwd = ForwardExample.start(LOOPBACK, echo.address());
             Socket c = client(fwd.address())) {
            c.getOutputStream().write("through the forwarder\nsecond\n".getBytes(StandardCharsets.UTF_8));
            c.shutdownOutput();   // the echo server sees the end, answers what it had, and closes
            var in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("through the forwarder", in.readLine());
            assertEquals("second", in.readLine());
            assertEquals(null, in.readLine(), "the end of stream came back through the forwarder");
        }
    }

    @Test
    void connectPrintsResultsInTheOrderGiven() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        try (ServerSocket open = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Launcher.run(new PrintWriter(out), new PrintWriter(err), "connect",
                    "127.0.0.1:" + closedPort, "127.0.0.1:" + open.getLocalPort(), "--timeout", "PT5S");
            assertEquals(1, code, "one address failed: " + out + err);
            String[] lines = out.toString().strip().split("\\R");
            assertEquals(2, lines.length, out.toString());
            assertTrue(lines[0].startsWith("FAIL 127.0.0.1:" + closedPort), lines[0]);
            assertTrue(lines[1].startsWith("ok   127.0.0.1:" + open.getLocalPort()), lines[1]);
        }
    }

    @Test
    void badArgumentsAreUsageErrors() {
        StringWriter err = new StringWriter();
        assertEquals(2, Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(err), "forward", "--listen", "0", "--to", "nohost"));
        assertTrue(err.toString().contains("HOST:PORT"), err.toString());
        assertEquals(2, Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "connect"));
        assertEquals(2, Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "echo", "--concurrency", "0"));
        assertEquals(2, Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "echo", "--port", "x"));
    }

    @Test
    void httpSaysHelloAndEchoesAPost() throws Exception {
        io.eventlet.http.HttpServer server = HttpExample.start(LOOPBACK);
        try (Socket s = client(server.address())) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: t\r\n\r\n"
                    + "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertTrue(all.contains("Hello, World!\n"), all);
            assertTrue(all.endsWith("\r\n\r\nhello"), all);
        } finally {
            server.close();
        }
    }

    @Test
    void chatSendsEveryLineToTheOthersAndSurvivesAVanishedClient() throws Exception {
        try (ServedOnHub chat = ChatExample.start(LOOPBACK)) {
            InetSocketAddress at = chat.address();
            try (Socket a = client(at); Socket b = client(at); Socket c = client(at)) {
                var ina = new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8));
                var inc = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.UTF_8));
                String joinB = ina.readLine();
                assertTrue(joinB.contains("joined"), joinB);
                assertTrue(ina.readLine().contains("joined"), "c joined");
                b.getOutputStream().write("hi all\n".getBytes(StandardCharsets.UTF_8));
                assertTrue(ina.readLine().endsWith(": hi all"));
                assertTrue(inc.readLine().endsWith(": hi all"));
                b.getOutputStream().write("half a li".getBytes(StandardCharsets.UTF_8));
                b.setSoLinger(true, 0);
                b.close();   // vanishes mid-line, with a reset
                String left = ina.readLine();
                assertTrue(left.contains("left"), left);
                assertTrue(inc.readLine().contains("left"));
                a.getOutputStream().write("still here\n".getBytes(StandardCharsets.UTF_8));
                assertTrue(inc.readLine().endsWith(": still here"));
            }
        }
    }

    /** A small site: / links to /a and /b, /a links to /c and off-site, /b is missing a page. */
    private static io.eventlet.http.HttpServer site() throws IOException {
        return io.eventlet.http.HttpServer.builder((req, resp) -> {
            resp.header("Content-Type", "text/html");
            switch (req.path()) {
                case "/" -> resp.send("<a href=\"/a\">a</a> <a href='b'>b</a>");
                case "/a" -> resp.send("<a href=\"/c#top\">c</a> <a href=\"http://elsewhere.invalid/\">out</a>");
                case "/b" -> resp.send("<a href=\"/missing\">?</a>");
                case "/c" -> resp.send("the end");
                default -> resp.status(404).send("no");
            }
        }).start(LOOPBACK);
    }

    @Test
    void crawlReportsAHostileResponseAsAFailedUrlAndGoesOn() throws Exception {
        // A raw server: /huge claims 10 GB and streams junk, /drip never finishes its head, anything else is fine.
        try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!raw.isClosed()) {
                    try (Socket c = raw.accept()) {
                        String line = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
                        java.io.OutputStream o = c.getOutputStream();
                        if (line.contains("/huge")) {
                            o.write("HTTP/1.1 200 OK\r\nContent-Length: 10737418240\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                            byte[] junk = new byte[64 * 1024];
                            for (int i = 0; i < 2000; i++) {
                                o.write(junk);
                            }
                        } else if (line.contains("/bad")) {
                            o.write("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        } else {
                            o.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                        }
                    } catch (IOException e) {
                        // the crawler hung up on the junk, as it should
                    }
                }
            }, "hostile-site");
            t.start();
            String base = "http://127.0.0.1:" + raw.getLocalPort();
            StringWriter out = new StringWriter();
            int code = Launcher.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "crawl", "--concurrency", "1",
                    base + "/huge", base + "/bad", base + "/fine");
            String[] lines = out.toString().strip().split("\\R");
            assertEquals(3, lines.length, out.toString());
            assertTrue(lines[0].startsWith("FAIL " + base + "/huge") && lines[0].contains("larger than the limit"), lines[0]);
            assertTrue(lines[1].startsWith("FAIL " + base + "/bad"), lines[1]);
            assertTrue(lines[2].startsWith("200") && lines[2].endsWith(base + "/fine"), "went on after the failures: " + lines[2]);
            assertEquals(1, code, "failures make the exit code 1");
            raw.close();
            t.join(10_000);
        }
    }

    @Test
    void crawlFetchesInInputOrderAndRecursesWithinTheHost() throws Exception {
        io.eventlet.http.HttpServer server = site();
        try {
            String base = "http://127.0.0.1:" + server.address().getPort();
            StringWriter out = new StringWriter();
            int code = Launcher.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "crawl", base + "/c", base + "/", base + "/a");
            assertEquals(0, code, out.toString());
            String[] lines = out.toString().strip().split("\\R");
            assertEquals(3, lines.length, out.toString());
            assertTrue(lines[0].startsWith("200") && lines[0].endsWith(base + "/c"), lines[0]);
            assertTrue(lines[1].endsWith(base + "/"), lines[1]);
            assertTrue(lines[2].endsWith(base + "/a"), lines[2]);

            StringWriter rec = new StringWriter();
            Launcher.run(new PrintWriter(rec), new PrintWriter(new StringWriter()), "crawl", "--recursive", base + "/");
            String all = rec.toString();
            for (String page : new String[] {"/", "/a", "/b", "/c", "/missing"}) {
                assertTrue(all.contains(" " + base + page + "\n") || all.endsWith(" " + base + page), page + " in:\n" + all);
            }
            assertTrue(all.contains("404"), all);
            assertTrue(!all.contains("elsewhere"), "stays within the host: " + all);

            StringWriter bounded = new StringWriter();
            Launcher.run(new PrintWriter(bounded), new PrintWriter(new StringWriter()), "crawl", "--recursive", "--max-pages", "2", base + "/");
            assertEquals(2, bounded.toString().strip().split("\\R").length, bounded.toString());
            assertEquals(2, Launcher.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), "crawl", "ftp://x/"));
        } finally {
            server.close();
        }
    }

    @Test
    void backdoorShowsTheTickingGreenThreads() throws Exception {
        try (BackdoorExample.Running r = BackdoorExample.start(LOOPBACK, 3); Socket s = client(r.door().address())) {
            while (r.app().stats().greenThreads() < 3) {
                Thread.onSpinWait();   // the tickers start on their hub
            }
            s.getOutputStream().write("threads\nquit\n".getBytes(StandardCharsets.UTF_8));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(all.contains(r.app().name() + ": 3 green threads"), all);
            assertTrue(all.contains("bye"), all);
        }
    }
}
