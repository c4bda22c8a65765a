package io.eventlet.bench.echo;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Many open connections that do nothing, for the heap cost of an idle connection. Each echoes one
 * byte once after connecting: then the server has surely accepted it and its handler is waiting
 * in a read, so the heap the harness asks for next includes everything an idle connection holds.
 *
 * <p>Threading: confined to the thread that opened it.
 */
final class IdleConnections implements AutoCloseable {
    private final List<SocketChannel> channels;

    private IdleConnections(List<SocketChannel> channels) {
        this.channels = channels;
    }

    /** @throws IOException naming the connection that failed, the server and the fd limit */
    static IdleConnections open(InetSocketAddress server, int count) throws IOException {
        List<SocketChannel> channels = new ArrayList<>(count);
        IdleConnections idle = new IdleConnections(channels);
        try {
            for (int i = 0; i < count; i++) {
                SocketChannel ch;
                try {
                    ch = SocketChannel.open();
                    channels.add(ch);
                    ch.socket().connect(server, 10_000);
                    // The socket's streams, not the channel, so the read has a timeout.
                    ch.socket().setSoTimeout(10_000);
                    ch.socket().getOutputStream().write(i & 0xff);
                    int echoed = ch.socket().getInputStream().read();
                    if (echoed != (i & 0xff)) {
                        throw new IOException("the server echoed " + echoed + " instead of " + (i & 0xff));
                    }
                } catch (IOException e) {
                    throw new IOException("idle connection #" + i + " of " + count + " to echo server " + server + " failed: "
                            + e.getMessage() + " (this process may open " + maxFileDescriptors() + " files; ulimit -n)", e);
                }
            }
        } catch (IOException | RuntimeException e) {
            idle.close();
            throw e;
        }
        return idle;
    }

    int size() {
        return channels.size();
    }

    private static String maxFileDescriptors() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u
                ? Long.toString(u.getMaxFileDescriptorCount())
                : "an unknown number of";
    }

    @Override
    public void close() {
        for (SocketChannel ch : channels) {
            try {
                ch.close();
            } catch (IOException e) {
                // closing an idle socket cannot fail in a way that matters to the figures
            }
        }
    }
}
