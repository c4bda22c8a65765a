package io.eventlet.examples;

import io.eventlet.Eventlet;
import io.eventlet.GreenThread;
import io.eventlet.Hub;
import io.eventlet.net.GreenServerSocket;
import io.eventlet.net.GreenSocket;
import io.eventlet.net.LineReader;
import io.eventlet.net.LineTooLongException;
import io.eventlet.sync.LightQueue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * eventlet's chat server: every line a user types reaches every other user, with join and leave
 * notices. All users live on one hub, so the member table needs no lock; a user whose socket
 * fails while receiving is dropped without disturbing the others, and so is one that sends a line
 * longer than {@value #MAX_LINE_BYTES} bytes (after an error line to it alone).
 */
@Command(name = "chat", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "A telnet chat server: every line reaches every other user (eventlet's chat_server).")
public final class ChatExample implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(ChatExample.class);

    @Option(names = "--port", defaultValue = "3001", converter = Arguments.ListenPort.class,
            description = "port to listen on; 0 picks one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--bind", defaultValue = "0.0.0.0", converter = Arguments.BindAddress.class,
            description = "address to listen on (default: ${DEFAULT-VALUE})")
    InetAddress bind;

    @Override
    public Integer call() throws Exception {
        try (ServedOnHub r = start(new InetSocketAddress(bind, port))) {
            log.info("chat server on {} (hub {}); telnet to it; Ctrl-C stops it", r.address(), r.hub().providerName());
            Examples.awaitInterrupt(r);
        }
        return 0;
    }

    /** One user: the socket, and a queue of lines a writer green thread sends, so a slow user never holds up a sender. */
    private record User(GreenSocket conn, String name, LightQueue<byte[]> out) {
    }

    /** The longest line a user may send, in bytes: longer ones could make every other user's queue hold them. */
    static final int MAX_LINE_BYTES = 8 * 1024;
    private static final byte[] STOP = new byte[0];
    /** Lines a user may fall behind by before it is dropped. */
    private static final int BACKLOG = 1000;

    static ServedOnHub start(InetSocketAddress address) throws IOException {
        GreenServerSocket server = Eventlet.listen(address);
        Hub hub = Hub.start();
        Map<GreenSocket, User> users = new LinkedHashMap<>();   // touched only on the hub's thread
        return ServedOnHub.start(hub, server, conn -> chat(conn, users), Eventlet.DEFAULT_CONCURRENCY, null);
    }

    private static void chat(GreenSocket conn, Map<GreenSocket, User> users) throws IOException {
        User me = new User(conn, String.valueOf(conn.remoteAddress()), new LightQueue<>(BACKLOG));
        GreenThread<Void> writer = Eventlet.spawn(() -> {
            for (byte[] line; (line = me.out.get()) != STOP; ) {
                conn.writeAll(line);
            }
            return null;
        });
        var in = new LineReader(conn.inputStream(), MAX_LINE_BYTES);
        users.put(conn, me);
        broadcast(users, me, "*** " + me.name + " joined (" + users.size() + " here)");
        LineTooLongException tooLong = null;
        try {
            for (String line; (line = in.readLine()) != null; ) {
                broadcast(users, me, me.name + ": " + line);
            }
        } catch (LineTooLongException e) {
            log.info("dropping {}: {}", me.name, e.getMessage());
            tooLong = e;
        } catch (IOException e) {
            log.info("{} vanished: {}", me.name, e.toString());
        } finally {
            users.remove(conn);
            broadcast(users, me, "*** " + me.name + " left");
            me.out.offer(STOP);
            writer.kill();   // it may be stuck writing to a peer that is gone; on this hub, it has ended when kill returns
        }
        if (tooLong != null) {
            EchoExample.refuse(conn, tooLong);
        }
    }

    /** Queues {@code line} for every user but {@code from}; a user too far behind is dropped. */
    private static void broadcast(Map<GreenSocket, User> users, User from, String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        for (User u : users.values().toArray(new User[0])) {
            if (u != from && !u.out.offer(bytes)) {
                log.info("dropping {}: {} lines behind", u.name, BACKLOG);
                users.remove(u.conn);
                try {
                    u.conn.close();   // its reader sees the close and says goodbye
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
