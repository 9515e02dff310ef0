package dev.sluice.agent.health;

import dev.sluice.agent.config.Durations;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.ConnectException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One health-check request on a new connection ({@code Connection: close}), everything on one event
 * loop: connect, send, read the status line, close. The outcome is delivered exactly once, on that
 * loop: null for a pass, else the failure reason.
 */
final class HealthProbe {
  private final EventLoop loop;
  private final Class<? extends SocketChannel> channelType;
  private final HealthCheckSettings settings;
  private final String host;
  private final int port;
  private final String hostHeader;
  private final Consumer<String> done;
  private boolean finished;
  private @Nullable Channel channel;
  private @Nullable ScheduledFuture<?> deadline;

  static final String PASSED = "";

  /** @param done receives {@link #PASSED} or the failure reason */
  HealthProbe(EventLoop loop, Class<? extends SocketChannel> channelType, HealthCheckSettings settings, String host,
      int port, Consumer<String> done) {
    this.loop = loop;
    this.channelType = channelType;
    this.settings = settings;
    this.host = host;
    this.port = port;
    this.hostHeader = settings.host() != null ? settings.host() : hostHeader(host, port);
    this.done = done;
  }

  private static String hostHeader(String host, int port) {
    return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
  }

  /** Call on {@code loop}. */
  void start() {
    long timeoutMillis = settings.timeout().toMillis();
    deadline = loop.schedule(() -> finish("timeout after " + Durations.format(settings.timeout())),
        timeoutMillis, TimeUnit.MILLISECONDS);
    ChannelFuture connect = new Bootstrap()
        .group(loop)
        .channel(channelType)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeoutMillis))
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast("codec", new HttpClientCodec());
            ch.pipeline().addLast("probe", new HealthProbeHandler(
                status -> finish(settings.expects(status) ? PASSED : "status " + status), HealthProbe.this::finish));
          }
        })
        .connect(host, port);
    channel = connect.channel();
    connect.addListener(future -> {
      if (!future.isSuccess()) {
        Throwable cause = future.cause();
        if (cause instanceof ConnectTimeoutException) {
          finish("timeout after " + Durations.format(settings.timeout()));
        } else if (cause instanceof ConnectException && String.valueOf(cause.getMessage()).contains("refused")) {
          finish("connect refused");
        } else {
          finish("connect failed: " + cause.getMessage());
        }
        return;
      }
      DefaultFullHttpRequest request = new DefaultFullHttpRequest(
          HttpVersion.HTTP_1_1, HttpMethod.valueOf(settings.method()), settings.path(), Unpooled.EMPTY_BUFFER);
      request.headers()
          .set(HttpHeaderNames.HOST, hostHeader)
          .set(HttpHeaderNames.USER_AGENT, "sluice-health-check")
          .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      if (!settings.method().equals("GET") && !settings.method().equals("HEAD")) {
        request.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
      }
      // the codec releases the request once written
      connect.channel().writeAndFlush(request).addListener(write -> {
        if (!write.isSuccess()) {
          finish("connection error: " + write.cause().getMessage());
        }
      });
    });
  }

  private void finish(String outcome) {
    if (finished) {
      return;
    }
    finished = true;
    if (deadline != null) {
      deadline.cancel(false);
    }
    if (channel != null) {
      channel.close();
    }
    done.accept(outcome);
  }
}
