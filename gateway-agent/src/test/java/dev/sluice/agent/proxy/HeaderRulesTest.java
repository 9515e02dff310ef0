package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.HeaderRewrite;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class HeaderRulesTest {

    @Test
    void removesFixedHopByHopHeadersProxyHeadersAndThoseNamedByConnection() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "keep-alive, X-A")
                .add("Connection", "x-b")
                .add("X-A", "1").add("X-B", "2").add("Keep-Alive", "timeout=5").add("TE", "trailers")
                .add("Trailer", "X-T").add("Transfer-Encoding", "chunked").add("Upgrade", "h2c")
                .add("Proxy-Authorization", "x").add("Proxy-Foo", "y").add("X-Kept", "z");

        HopByHopHeaders.remove(headers);

        assertThat(headers.names()).containsExactly("X-Kept");
    }

    @Test
    void removesEveryTokenOfAConnectionValueWhateverItsSpacingAndCase() {
        HttpHeaders headers = new DefaultHttpHeaders()
                .add("Connection", "Close ,\tX-A,, x-b ,KEEP-ALIVE")
                .add("Close", "1").add("X-A", "2").add("X-B", "3").add("Keep-Alive", "4").add("X-Kept", "5");

        HopByHopHeaders.remove(headers);

        assertThat(headers.names()).containsExactly("X-Kept");
    }

    @Test
    void appliesRemoveThenSetThenAdd() {
        HttpHeaders headers = new DefaultHttpHeaders().add("X-Gone", "1").add("X-Set", "old").add("X-Add", "first");

        HeaderEdits.of(new HeaderRewrite(Map.of("X-Set", "new"), Map.of("X-Add", "second"), List.of("x-gone"))).apply(headers);

        assertThat(headers.contains("X-Gone")).isFalse();
        assertThat(headers.getAll("X-Set")).containsExactly("new");
        assertThat(headers.getAll("X-Add")).containsExactly("first", "second");
    }

    @Test
    void acceptsOnlyWellFormedRequestIds() {
        assertThat(RequestIds.isWellFormed("abc-DEF_0.9")).isTrue();
        assertThat(RequestIds.isWellFormed("x".repeat(128))).isTrue();
        assertThat(RequestIds.isWellFormed("x".repeat(129))).isFalse();
        assertThat(RequestIds.isWellFormed("")).isFalse();
        assertThat(RequestIds.isWellFormed("a b")).isFalse();
        assertThat(RequestIds.isWellFormed("a\r\nX-Evil: 1")).isFalse();
        assertThat(RequestIds.generate()).matches("[0-9a-f]{32}");
    }

    @Test
    void rewritesPathsByPrefixOrTemplate() {
        RouteResolver.Resolution params = resolution(Map.of("id", "42", "rest", "a/b"));

        assertThat(PathRewrite.of("/api", null).apply("/api/users", params)).isEqualTo("/users");
        assertThat(PathRewrite.of("/api/", null).apply("/api/users", params)).isEqualTo("/users");
        assertThat(PathRewrite.of("/api", null).apply("/api", params)).isEqualTo("/");
        assertThat(PathRewrite.of(null, "/v2/{id}/files/{rest}").apply("/x", params)).isEqualTo("/v2/42/files/a/b");
        assertThat(PathRewrite.NONE.apply("/same", params)).isEqualTo("/same");
    }

    private static RouteResolver.Resolution resolution(Map<String, String> params) {
        return new RouteResolver.Resolution() {
            @Override
            public RouteResolver.Outcome outcome() {
                return RouteResolver.Outcome.FOUND;
            }

            @Override
            public @Nullable ProxyRoute route() {
                return null;
            }

            @Override
            public @Nullable String param(String name) {
                return params.get(name);
            }

            @Override
            public String allowHeader() {
                return "";
            }
        };
    }

    @Test
    void escapesTheEnvelopeMessageAsJson() {
        var response = dev.sluice.agent.http.ErrorEnvelope.create(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT,
                io.netty.handler.codec.http.HttpResponseStatus.BAD_GATEWAY, "say \"hi\"\n\\", "id-1");
        try {
            assertThat(response.content().toString(java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("{\"code\":502,\"message\":\"say \\\"hi\\\"\\n\\\\\",\"requestId\":\"id-1\"}");
            assertThat(response.headers().get("Content-Type")).isEqualTo("application/json");
        } finally {
            response.release();
        }
    }
}
