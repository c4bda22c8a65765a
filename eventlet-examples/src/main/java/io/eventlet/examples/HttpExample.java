package io.eventlet.examples;

import io.eventlet.http.HttpRequest;
import io.eventlet.http.HttpResponse;
import io.eventlet.http.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** eventlet's wsgi example: hello world, and {@code POST /echo} answering with the body it got. */
@Command(name = "http", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A hello-world HTTP server with a POST /echo route (eventlet's wsgi example).")
public final class HttpExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(HttpExample.class);

    @Option(names = "--port", defaultValue = "8090", converter = Arguments.ListenPort.class,
            description = "port to listen on; 0 picks one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", converter = Arguments.BindAddress.class,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    InetAddress bind;

    @Override
    public Integer call() throws Exception {
        HttpServer server = start(new InetSocketAddress(bind, port));
        log.info("http server on http://{}:{}/ (hub {}); try: curl -d hi localhost:{}/echo; Ctrl-C stops it",
                bind.getHostAddress(), server.address().getPort(), server.hub().providerName(), server.address().getPort());
        Examples.awaitInterrupt(() -> server.shutdown(java.time.Duration.ofSeconds(5)));
        return 0;
    }

    static HttpServer start(InetSocketAddress address) throws java.io.IOException {
        return HttpServer.builder(HttpExample::handle).start(address);
    }

    static void handle(HttpRequest req, HttpResponse resp) throws Exception {
        if (req.path().equals("/echo")) {
            if (!req.method().equals("POST")) {
                resp.status(405).header("Allow", "POST").send("POST to /echo\n");
                return;
            }
            String type = req.header("Content-Type");
            resp.header("Content-Type", type == null ? "application/octet-stream" : type).send(req.bodyBytes());
        } else if (req.path().equals("/")) {
            resp.send("Hello, World!\n");
        } else {
            resp.status(404).send("not found: " + req.path() + "\n");
        }
    }
}
