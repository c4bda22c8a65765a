package io.eventlet.examples;

import io.eventlet.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The websocket-chat example end to end in headless Chromium (Debian's {@code chromium}): two
 * pages, a message typed in one appears in the other. Chromium is driven through the DevTools
 * protocol by a Node script over the {@code ws} package (installed into target/node on first use).
 */
class WebSocketChatBrowserTest {
    @TempDir
    Path profile;

    private static Path nodeDir() throws Exception {
        Path dir = Path.of("target", "node").toAbsolutePath();
        if (!Files.isDirectory(dir.resolve("node_modules").resolve("ws"))) {
            Files.createDirectories(dir);
            Files.copy(Path.of("src", "test", "node", "package.json"), dir.resolve("package.json"), StandardCopyOption.REPLACE_EXISTING);
            Process p = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund").directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0, "npm install ws failed (the npm registry is needed once): " + out);
        }
        Files.copy(Path.of("src", "test", "node", "cdp-chat.mjs"), dir.resolve("cdp-chat.mjs"), StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    @Test
    void aMessageTypedInOnePageAppearsInTheOther() throws Exception {
        Path node = nodeDir();
        HttpServer server = WebSocketChatExample.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Process chromium = new ProcessBuilder("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            String devtools = null;
            var err = new BufferedReader(new InputStreamReader(chromium.getErrorStream(), StandardCharsets.UTF_8));
            for (String line; (line = err.readLine()) != null; ) {
                int i = line.indexOf("ws://");
                if (line.startsWith("DevTools listening on") && i >= 0) {
                    devtools = line.substring(i).strip();
                    break;
                }
            }
            assertNotNull(devtools, "Chromium did not print its DevTools address");
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    err.transferTo(java.io.Writer.nullWriter());   // keep its stderr drained
                } catch (java.io.IOException e) {
                    // it exited
                }
            });
            String page = "http://127.0.0.1:" + server.address().getPort() + "/";
            Process cdp = new ProcessBuilder("node", "cdp-chat.mjs", devtools, page).directory(node.toFile()).redirectErrorStream(true).start();
            String out = new String(cdp.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(cdp.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, cdp.exitValue(), out);
            assertTrue(out.startsWith("OK") && out.contains("hello from page one"), out);
        } finally {
            chromium.destroy();
            chromium.waitFor(10, TimeUnit.SECONDS);
            server.close();
        }
    }
}
