package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The upstream codec on its own: responses decode as with Netty's client codec, with the repeated parts shared. */
class UpstreamHttpCodecTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(new UpstreamHttpCodec(new HttpDecoderConfig()));
    private final List<Object> decoded = new ArrayList<>();

    @AfterEach
    void close() {
        decoded.forEach(ReferenceCountUtil::release);
        channel.finishAndReleaseAll();
    }

    private void send(HttpMethod method) {
        channel.writeOutbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, "/"));
        Object encoded;
        while ((encoded = channel.readOutbound()) != null) {
            ReferenceCountUtil.release(encoded);
        }
    }

    private List<Object> receive(String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.ISO_8859_1));
        List<Object> out = new ArrayList<>();
        Object msg;
        while ((msg = channel.readInbound()) != null) {
            out.add(msg);
        }
        decoded.addAll(out);
        return out;
    }

    private static List<Map.Entry<CharSequence, CharSequence>> headersOf(HttpResponse response) {
        List<Map.Entry<CharSequence, CharSequence>> headers = new ArrayList<>();
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = response.headers().iteratorCharSequence(); it.hasNext(); ) {
            headers.add(it.next());
        }
        return headers;
    }

    @Test
    void sharesTheUsualHeaderNamesAndStatusLineWithEveryResponse() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        String response = "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nhi";
        HttpResponse first = (HttpResponse) receive(response).get(0);
        HttpResponse second = (HttpResponse) receive(response).get(0);

        assertThat(first.status()).isSameAs(HttpResponseStatus.OK);
        assertThat(first.protocolVersion()).isSameAs(HttpVersion.HTTP_1_1);
        List<Map.Entry<CharSequence, CharSequence>> a = headersOf(first);
        List<Map.Entry<CharSequence, CharSequence>> b = headersOf(second);
        assertThat(a).hasSize(3);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).getKey()).isSameAs(a.get(i).getKey());
        }
        assertThat(first.headers().get("content-type")).isEqualTo("text/plain");
    }

    @Test
    void keepsHeaderNamesAsTheUpstreamSpeltThem() {
        send(HttpMethod.GET);
        HttpResponse response = (HttpResponse) receive(
                "HTTP/1.1 204 No Content\r\ncontent-type: a\r\nCONTENT-LANGUAGE: en\r\nX-Custom-Thing: 1\r\n\r\n").get(0);

        assertThat(headersOf(response)).extracting(e -> e.getKey().toString())
                .containsExactly("content-type", "CONTENT-LANGUAGE", "X-Custom-Thing");
        assertThat(response.status()).isSameAs(HttpResponseStatus.NO_CONTENT);
    }

    @Test
    void keepsAReasonPhraseThatIsNotTheStandardOneAndUnknownCodes() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        HttpResponse custom = (HttpResponse) receive("HTTP/1.1 200 Fine\r\nContent-Length: 0\r\n\r\n").get(0);
        HttpResponse unknown = (HttpResponse) receive("HTTP/1.1 299 Odd\r\nContent-Length: 0\r\n\r\n").get(0);
        HttpResponse none = (HttpResponse) receive("HTTP/1.0 404 \r\nContent-Length: 0\r\n\r\n").get(0);

        assertThat(custom.status().code()).isEqualTo(200);
        assertThat(custom.status().reasonPhrase()).isEqualTo("Fine");
        assertThat(unknown.status().code()).isEqualTo(299);
        assertThat(unknown.status().reasonPhrase()).isEqualTo("Odd");
        assertThat(none.status().code()).isEqualTo(404);
        assertThat(none.protocolVersion()).isSameAs(HttpVersion.HTTP_1_0);
    }

    @Test
    void readsNoBodyAfterAHeadRequestAndTheNextResponseWhole() {
        send(HttpMethod.HEAD);
        send(HttpMethod.GET);
        List<Object> out = receive("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"
                + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

        assertThat(out).hasSize(4);
        assertThat(out.get(1)).isInstanceOf(LastHttpContent.class);
        assertThat(((HttpContent) out.get(1)).content().readableBytes()).isZero();
        assertThat(((HttpContent) out.get(3)).content().toString(StandardCharsets.US_ASCII)).isEqualTo("hello");
    }

    @Test
    void decodesTrailersOfAChunkedBodyAfterAFixedLengthOne() {
        send(HttpMethod.GET);
        send(HttpMethod.GET);
        List<Object> out = receive("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi"
                + "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nho\r\n0\r\nX-Checksum: 42\r\n\r\n");

        LastHttpContent fixed = (LastHttpContent) out.get(1);
        LastHttpContent chunked = (LastHttpContent) out.get(out.size() - 1);
        assertThat(fixed.trailingHeaders().isEmpty()).isTrue();
        assertThat(chunked.trailingHeaders().get("X-Checksum")).isEqualTo("42");
    }

    @Test
    void passesBytesThroughAfterASuccessfulConnect() {
        send(HttpMethod.CONNECT);
        List<Object> out = receive("HTTP/1.1 200 OK\r\n\r\nnot http at all\r\n");

        assertThat(out.get(0)).isInstanceOf(HttpResponse.class);
        StringBuilder rest = new StringBuilder();
        for (Object msg : out.subList(1, out.size())) {
            if (msg instanceof ByteBuf buf) {
                rest.append(buf.toString(StandardCharsets.ISO_8859_1));
            }
        }
        assertThat(rest.toString()).isEqualTo("not http at all\r\n");
    }

    @Test
    void stillRejectsAnInvalidHeaderName() {
        send(HttpMethod.GET);
        HttpResponse response = (HttpResponse) receive("HTTP/1.1 200 OK\r\nBad\u0001Name: x\r\nContent-Length: 0\r\n\r\n").get(0);

        assertThat(response.decoderResult().isFailure()).isTrue();
    }
}
