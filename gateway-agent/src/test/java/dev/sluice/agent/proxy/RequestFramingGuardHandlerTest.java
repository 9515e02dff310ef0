package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The framing guard on its own, behind a real codec. */
class RequestFramingGuardHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new HttpServerCodec(),
            new RequestFramingGuardHandler(100, ProxyMeters.unregistered()));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void dropsTrailerFieldsThatMustNotBeTrailersAndKeepsTheRest() {
        channel.writeInbound(Unpooled.copiedBuffer("POST / HTTP/1.1\r\nHost: gw\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\nContent-Length: 5\r\nHost: evil\r\nAuthorization: Bearer x\r\nX-Checksum: abc\r\n\r\n",
                StandardCharsets.ISO_8859_1));

        HttpRequest head = channel.readInbound();
        LastHttpContent last = channel.readInbound();

        assertThat(head.uri()).isEqualTo("/");
        assertThat(last.trailingHeaders().names()).containsExactly("X-Checksum");
        last.release();
    }

    @Test
    void refusesEverythingAfterARefusedRequestAndStopsReading() {
        channel.writeInbound(Unpooled.copiedBuffer("GET http://evil/ HTTP/1.1\r\nHost: gw\r\n\r\n", StandardCharsets.ISO_8859_1));

        assertThat((Object) channel.readInbound()).isSameAs(RequestRejection.ABSOLUTE_FORM);
        assertThat(channel.config().isAutoRead()).isFalse();

        channel.writeInbound(Unpooled.copiedBuffer("GET /fine HTTP/1.1\r\nHost: gw\r\n\r\n", StandardCharsets.ISO_8859_1));
        assertThat((Object) channel.readInbound()).isNull();
    }

    @Test
    void checksEveryHeadRuleInTheTable() {
        HttpRequest fine = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a?b=c");
        fine.headers().add("Host", "gw");
        HttpRequest star = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "*");
        HttpRequest tooMany = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
        for (int i = 0; i < 5; i++) {
            tooMany.headers().add("X-" + i, "v");
        }

        assertThat(RequestFramingGuardHandler.checkHead(fine, 100)).isNull();
        assertThat(RequestFramingGuardHandler.checkHead(star, 100)).isNull();
        assertThat(RequestFramingGuardHandler.checkHead(tooMany, 4)).isSameAs(RequestRejection.TOO_MANY_HEADERS);
    }

    @Test
    void mapsAFailedBodyPartToARejection() {
        LastHttpContent broken = new DefaultLastHttpContent();
        broken.setDecoderResult(io.netty.handler.codec.DecoderResult.failure(new NumberFormatException("bad chunk")));

        channel.writeInbound(broken);

        assertThat((Object) channel.readInbound()).isSameAs(RequestRejection.CHUNK);
    }
}
