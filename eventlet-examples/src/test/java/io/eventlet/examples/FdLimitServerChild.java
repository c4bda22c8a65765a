package io.eventlet.examples;

import io.eventlet.Hub;
import io.eventlet.net.MultiHubServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The server side of {@link AcceptUnderFdLimitTest}, run in a child JVM under a low open-file
 * limit: {@code echo} is the echo example's server, {@code multihub} a two-hub
 * {@link MultiHubServer} with the echo example's handler, {@code http} the http example's
 * {@code HttpServer} (whose first request comes only after the descriptors ran out: nothing it
 * needs then may be loaded lazily from disk). Prints {@code PORT n}, serves until its
 * stdin closes, then prints {@code CLOSED} and exits 0.
 */
final class FdLimitServerChild {
    private FdLimitServerChild() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        AutoCloseable server;
        int port;
        switch (args[0]) {
            case "echo" -> {
                ServedOnHub echo = EchoExample.start(loopback, 10_000);
                server = echo;
                port = echo.address().getPort();
            }
            case "multihub" -> {
                MultiHubServer multi = MultiHubServer.start(loopback, 2, 10_000, EchoExample::handle, Hub.provider());
                server = multi;
                port = ((InetSocketAddress) multi.address()).getPort();
            }
            case "http" -> {
                io.eventlet.http.HttpServer http = HttpExample.start(loopback);
                server = http;
                port = http.address().getPort();
            }
            default -> throw new IllegalArgumentException("echo, multihub or http, not " + args[0]);
        }
        System.out.println("PORT " + port + " HUB " + Hub.provider().name());
        System.out.flush();
        try (server) {
            while (System.in.read() >= 0) {
                // the parent closes our stdin when it is done
            }
        } catch (IOException e) {
            // stdin gone: the parent is done too
        }
        System.out.println("CLOSED");
    }
}
