package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The idle-connection gauge of an instance sums the counts each event loop keeps for itself. */
class PoolGaugesTest {

    private final GatewayMetrics metrics = new GatewayMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    private double gauge(String state) {
        return metrics.registry().get("sluice.upstream.connections").tags("instance", "b:80", "state", state)
                .gauge().value();
    }

    @Test
    void idleGaugeSumsTheCountOfEveryEventLoop() {
        GatewayMetrics.PoolGauges gauges = metrics.pool("b:80");
        AtomicLong firstLoop = gauges.newIdleCount();
        AtomicLong secondLoop = metrics.pool("b:80").newIdleCount();

        firstLoop.set(3);
        secondLoop.set(2);
        gauges.open().set(7);

        assertThat(gauge("idle")).isEqualTo(5.0);
        assertThat(gauge("open")).isEqualTo(7.0);

        firstLoop.set(0);
        assertThat(gauge("idle")).isEqualTo(2.0);
    }
}
