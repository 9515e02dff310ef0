package dev.sluice.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.sluice.agent.testing.RawHttp;
import dev.sluice.agent.testing.TestAgent;
import dev.sluice.agent.testing.TestBackend;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class AccessLogTest {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(AccessLog.LOGGER_NAME);
    private TestBackend backend;

    @BeforeEach
    void attach() throws Exception {
        lines.start();
        logger.addAppender(lines);
        backend = TestBackend.start("app");
    }

    @AfterEach
    void detach() {
        logger.detachAppender(lines);
        backend.close();
    }

    private String config(boolean enabled) {
        return TestAgent.config("""
                accessLog: {enabled: %s}
                services:
                  - name: app
                    instances: [{host: 127.0.0.1, port: %d}]
                routes:
                  - {id: app, match: {path: /app/*rest}, service: app}
                """.formatted(enabled, backend.port()));
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void writesOneLinePerRequestWithItsDetails() throws Exception {
        try (TestAgent agent = TestAgent.start(config(true)); RawHttp raw = new RawHttp(agent.port())) {
            raw.exchange("POST /app/items?x=1 HTTP/1.1\r\nHost: gw\r\nX-Request-Id: req-42\r\nContent-Length: 5\r\n\r\nhello");
            raw.exchange("GET /missing HTTP/1.1\r\nHost: gw\r\nX-Request-Id: req-43\r\n\r\n");

            await().atMost(Duration.ofSeconds(10)).until(() -> lines.list.size() >= 2);
        }

        assertThat(messages()).hasSize(2);
        assertThat(messages().get(0))
                .contains(" id=req-42 ", " client=127.0.0.1 ", " \"POST /app/items?x=1\" ", " route=app ", " status=200 ",
                        " upstream=127.0.0.1:" + backend.port() + " ", " in=5 ", " out=")
                .containsPattern(" ms=\\d+\\.\\d$");
        assertThat(messages().get(1)).contains(" id=req-43 ", " route=- ", " status=404 ", " upstream=- ")
                .doesNotContain(" out=0 ");
    }

    @Test
    void writesNothingWhenSwitchedOff() throws Exception {
        try (TestAgent agent = TestAgent.start(config(false)); RawHttp raw = new RawHttp(agent.port())) {
            assertThat(raw.exchange("GET /app/x HTTP/1.1\r\nHost: gw\r\n\r\n").status()).isEqualTo(200);
        }

        assertThat(lines.list).isEmpty();
    }
}
