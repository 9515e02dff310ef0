package dev.sluice.agent.filter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.agent.config.Violation;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResponseSizeGuardTest {

    final ResponseSizeGuard guard = new ResponseSizeGuard(new ResponseSizeSettings(1024));

    @Test
    void contentLengthAboveTheLimitIsRefusedUpFrontAndUnknownLengthIsNot() {
        assertThat(guard.allowsContentLength(1024)).isTrue();
        assertThat(guard.allowsContentLength(1025)).isFalse();
        assertThat(guard.allowsContentLength(-1)).isTrue();
    }

    @Test
    void streamedBodyIsCutWhenTheRunningTotalPassesTheLimit() {
        long total = 0;
        int chunksAllowed = 0;
        for (int i = 0; i < 10; i++) {
            total += 300;
            if (!guard.allowsBodySoFar(total)) {
                break;
            }
            chunksAllowed++;
        }
        assertThat(chunksAllowed).isEqualTo(3);
    }

    @Test
    void refusalIsA502EnvelopeLabelledResponseTooLarge() {
        FullHttpResponse response = guard.rejection().toResponse(ByteBufAllocator.DEFAULT, "req-3");
        try {
            assertThat(response.status().code()).isEqualTo(502);
            assertThat(response.content().toString(StandardCharsets.UTF_8)).contains("\"code\":502").contains("1024 bytes");
            assertThat(guard.reason().label()).isEqualTo("response_too_large");
        } finally {
            response.release();
        }
    }

    @Test
    void sizesAreReadWithBinaryUnits() {
        FilterChain chain = FilterChain.build(List.of(Map.of("name", "response-size", "maxBytes", "10MiB")), "f",
                Clock.systemUTC()).chain();

        assertThat(chain.responseSizeGuard().maxBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(chain.filters()).isEmpty();
    }

    @Test
    void missingOrUnreadableSizeIsReported() {
        FilterChain.Result result = FilterChain.build(List.of(Map.of("name", "response-size", "maxBytes", "10 megs"),
                Map.of("name", "response-size")), "f", Clock.systemUTC());

        assertThat(result.violations()).extracting(Violation::path).containsExactly("f[0].maxBytes", "f[1].name");
    }
}
