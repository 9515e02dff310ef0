package dev.sluice.agent.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.agent.http.ErrorEnvelope;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The shared header names: found byte for byte, and trusted by identity only. */
class KnownHeaderNamesTest {

    private static AsciiString find(String wire) {
        byte[] line = ("xx" + wire + ": v").getBytes(StandardCharsets.US_ASCII);
        return KnownHeaderNames.find(line, 2, wire.length());
    }

    @Test
    void findsTheSharedNameInTheSpellingItWasSentIn() {
        assertThat((Object) find("Content-Type")).isSameAs(find("Content-Type")).hasToString("Content-Type");
        assertThat((Object) find("content-type")).isSameAs(HttpHeaderNames.CONTENT_TYPE);
        assertThat((Object) find("x-request-id")).isSameAs(ErrorEnvelope.X_REQUEST_ID);
        assertThat((Object) find("CONTENT-TYPE")).isNull();
        assertThat((Object) find("X-Custom")).isNull();
    }

    @Test
    void trustsOnlyTheSharedInstancesNotEqualCopies() {
        assertThat(KnownHeaderNames.isShared(HttpHeaderNames.TRANSFER_ENCODING)).isTrue();
        assertThat(KnownHeaderNames.isShared(KnownHeaderNames.X_FORWARDED_FOR)).isTrue();
        assertThat(KnownHeaderNames.isShared(new AsciiString("x-forwarded-for"))).isFalse();
        assertThat(KnownHeaderNames.isShared("x-forwarded-for")).isFalse();
        assertThat(KnownHeaderNames.isShared(AsciiString.EMPTY_STRING)).isFalse();
    }

    @Test
    void headersStillRejectAnInvalidNameOrValue() {
        HttpHeaders headers = KnownHeaderNames.HEADERS.newHeaders();

        headers.set(KnownHeaderNames.X_REAL_IP, "192.0.2.1");
        assertThatThrownBy(() -> headers.add("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add(new AsciiString("x-real-ip\r\nx"), "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set(KnownHeaderNames.X_REAL_IP, "a\r\nInjected: yes"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(headers.get(KnownHeaderNames.X_REAL_IP)).isEqualTo("192.0.2.1");
    }
}
