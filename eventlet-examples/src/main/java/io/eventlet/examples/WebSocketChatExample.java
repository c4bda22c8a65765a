package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.http.HttpRequest;
import io.eventlet.http.HttpResponse;
import io.eventlet.http.HttpServer;
import io.eventlet.http.WebSocket;
import io.eventlet.sync.LightQueue;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * eventlet's websocket_chat: an HTML page and a WebSocket chat; every message typed in one page
 * appears in every open page. All sockets live on the server's one hub, so the member set needs
 * no lock; each member has a queue and a writer so a slow browser holds up nobody.
 */
@Command(name = "websocket-chat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A WebSocket chat with its HTML page (eventlet's websocket_chat); open it in two browser tabs.")
public final class WebSocketChatExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(WebSocketChatExample.class);

    static final String PAGE = """
            <!doctype html>
            <html><head><meta charset="utf-8"><title>eventlet-java chat</title></head>
            <body>
            <h1>eventlet-java WebSocket chat</h1>
            <ul id="log"></ul>
            <form id="form"><input id="msg" autocomplete="off" autofocus><button>send</button></form>
            <script>
            const log = document.getElementById('log');
            const ws = new WebSocket((location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/chat');
            ws.onopen = () => { window.chatReady = true; };
            ws.onmessage = (e) => { const li = document.createElement('li'); li.textContent = e.data; log.appendChild(li); };
            function send() { const m = document.getElementById('msg'); if (m.value) { ws.send(m.value); m.value = ''; } }
            document.getElementById('form').onsubmit = (e) => { e.preventDefault(); send(); };
            </script>
            </body></html>
            """;

    @Option(names = "--port", defaultValue = "7000", converter = Arguments.ListenPort.class,
            description = "port to listen on; 0 picks one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", converter = Arguments.BindAddress.class,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    InetAddress bind;

    @Override
    public Integer call() throws Exception {
        HttpServer server = start(new InetSocketAddress(bind, port));
        log.info("chat page on http://localhost:{}/ (hub {}); open it in two tabs; Ctrl-C stops it",
                server.address().getPort(), server.hub().providerName());
        Examples.awaitInterrupt(() -> server.shutdown(java.time.Duration.ofSeconds(5)));
        return 0;
    }

    private record Member(WebSocket ws, LightQueue<String> out) {
    }

    static HttpServer start(InetSocketAddress address) throws java.io.IOException {
        Set<Member> members = new LinkedHashSet<>();   // only the server's hub touches it
        return HttpServer.builder((req, resp) -> handle(req, resp, members)).start(address);
    }

    private static void handle(HttpRequest req, HttpResponse resp, Set<Member> members) throws Exception {
        if (req.path().equals("/")) {
            resp.header("Content-Type", "text/html; charset=utf-8").send(PAGE);
            return;
        }
        if (!req.path().equals("/chat")) {
            resp.status(404).send("not found\n");
            return;
        }
        WebSocket ws = WebSocket.accept(req, resp);
        if (ws == null) {
            return;
        }
        Member me = new Member(ws, new LightQueue<>(1000));
        GreenThread<Void> writer = Eventlet.spawn(() -> {
            while (true) {
                ws.sendText(me.out.get());
            }
        });
        members.add(me);
        try {
            for (WebSocket.Message m; (m = ws.receive()) != null; ) {
                if (m.isText()) {
                    for (Member other : members.toArray(new Member[0])) {
                        if (!other.out.offer(m.text())) {
                            members.remove(other);   // too far behind: dropped
                        }
                    }
                }
            }
        } catch (java.io.IOException e) {
            log.info("a chat member left: {}", e.toString());
        } finally {
            members.remove(me);
            writer.kill();
        }
    }
}
