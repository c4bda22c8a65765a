package io.eventlet.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline: plain JDK virtual threads on the default scheduler with {@link ServerSocket} and
 * {@link Socket}, one virtual thread per connection — what a Java developer writes without
 * eventlet. Its carrier count is {@code -Djdk.virtualThreadScheduler.parallelism}, which
 * {@link EchoServer} sets from {@code --hubs}.
 */
final class JdkEchoServer implements RunningEchoServer {
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private JdkEchoServer(ServerSocket listener) {
        this.listener = listener;
        this.acceptor = Thread.ofVirtual().name("jdk-echo-acceptor").unstarted(this::acceptLoop);
    }

    static JdkEchoServer start(int port) throws IOException {
        // The same backlog as eventlet's listen(): the JDK default of 50 would drop SYNs when a
        // thousand connections arrive at once and charge the server for the client's retries.
        ServerSocket listener = new ServerSocket();
        try {
            listener.setReuseAddress(true);
            listener.bind(new java.net.InetSocketAddress(port), 1024);
        } catch (IOException e) {
            listener.close();
            throw new IOException("jdk echo server cannot listen on port " + port + ": " + e.getMessage(), e);
        }
        JdkEchoServer server = new JdkEchoServer(listener);
        server.acceptor.start();
        return server;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                if (!listener.isClosed()) {
                    System.err.println("jdk echo server on port " + port() + ": accept failed: " + e);
                }
                return;
            }
            open.add(s);
            Thread.ofVirtual().start(() -> echo(s));
        }
    }

    private void echo(Socket s) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[GreenEchoServer.BUFFER_SIZE];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // A reset by the peer ends the connection, as a close does.
        } finally {
            open.remove(s);
        }
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // nothing to do: the listener is going away either way
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // as above
            }
        }
    }
}
