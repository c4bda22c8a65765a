package io.eventlet.bench.http;

import io.eventlet.http.HttpServer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A hello-world HTTP/1.1 keep-alive server for {@code ./eventlet bench http} (driven by wrk), in
 * its own JVM: {@code green HUB} (eventlet-http on one hub), {@code jdk} (com.sun.net.httpserver
 * on a virtual-thread-per-task executor), {@code netty} (Netty's HTTP codec on epoll, one event
 * loop). Prints {@code READY <port> <pid>} once it listens and stops at the end of its input.
 */
public final class HelloServer {
    static final byte[] HELLO = "hello, world\n".getBytes(StandardCharsets.US_ASCII);

    private HelloServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: HelloServer green HUB | jdk | netty");
            System.exit(2);
        }
        int port;
        AutoCloseable stop;
        switch (args[0]) {
            case "green" -> {
                HttpServer s = HttpServer.builder((req, resp) -> resp.header("Content-Type", "text/plain").send(HELLO))
                        .hub(args.length > 1 ? args[1] : null)
                        .maxConnections(100_000)
                        .start(new InetSocketAddress("127.0.0.1", 0));
                port = s.address().getPort();
                stop = s;
            }
            case "jdk" -> {
                com.sun.net.httpserver.HttpServer s = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
                s.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
                s.createContext("/", ex -> {
                    ex.getResponseHeaders().add("Content-Type", "text/plain");
                    ex.sendResponseHeaders(200, HELLO.length);
                    ex.getResponseBody().write(HELLO);
                    ex.close();
                });
                s.start();
                port = s.getAddress().getPort();
                stop = () -> s.stop(0);
            }
            case "netty" -> {
                EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
                Channel ch = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel c) {
                                c.pipeline().addLast(new HttpServerCodec(), new Hello());
                            }
                        }).bind("127.0.0.1", 0).sync().channel();
                port = ((InetSocketAddress) ch.localAddress()).getPort();
                stop = () -> {
                    ch.close().sync();
                    group.shutdownGracefully().sync();
                };
            }
            default -> {
                System.err.println("unknown server kind " + args[0]);
                System.exit(2);
                return;
            }
        }
        System.out.println("READY " + port + " " + ProcessHandle.current().pid());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        stop.close();
        System.exit(0);
    }

    /** Netty's side: a fixed response per request, keep-alive as the request asks. */
    private static final class Hello extends SimpleChannelInboundHandler<HttpObject> {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();   // wrk resets its connections at the end of a run: not worth a warning each
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (msg instanceof HttpRequest req) {
                boolean keepAlive = HttpUtil.isKeepAlive(req);
                FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(HELLO));
                resp.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain").setInt(HttpHeaderNames.CONTENT_LENGTH, HELLO.length);
                if (keepAlive) {
                    resp.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                    ctx.writeAndFlush(resp);
                } else {
                    ctx.writeAndFlush(resp).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }
    }
}
