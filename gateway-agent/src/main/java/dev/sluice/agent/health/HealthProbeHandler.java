package dev.sluice.agent.health;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads the status of the one response a probe connection receives, hands it on and closes the
 * connection; the body is never read. Releases every message it receives (it is the last handler).
 */
final class HealthProbeHandler extends ChannelInboundHandlerAdapter {
  private final IntConsumer onStatus;
  private final Consumer<String> onFailure;

  HealthProbeHandler(IntConsumer onStatus, Consumer<String> onFailure) {
    this.onStatus = onStatus;
    this.onFailure = onFailure;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpResponse response) {
        if (response.decoderResult().isFailure()) {
          onFailure.accept("invalid response");
        } else {
          onStatus.accept(response.status().code());
        }
        ctx.close();
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    onFailure.accept("connection closed before a response");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    onFailure.accept("connection error: " + cause.getMessage());
    ctx.close();
  }
}
