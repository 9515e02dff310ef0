package dev.sluice.console.connection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GatewayTargetTest {
  @Test
  void parsesHostAndPortAndHidesTheToken() {
    GatewayTarget.Parsed parsed = GatewayTarget.parse(" gw-1.internal:9443 ", "s3cret");

    assertThat(parsed.problems()).isEmpty();
    GatewayTarget target = parsed.target().orElseThrow();
    assertThat(target.address()).isEqualTo("gw-1.internal:9443");
    assertThat(target.token()).isEqualTo("s3cret");
    assertThat(target.toString()).doesNotContain("s3cret");
  }

  @Test
  void namesWhatIsWrongInsteadOfThrowing() {
    assertThat(GatewayTarget.parse("localhost", null).problems())
        .containsExactly("address \"localhost\" must be host:port");
    assertThat(GatewayTarget.parse("localhost:http", null).problems())
        .containsExactly("port \"http\" is not a number");
    assertThat(GatewayTarget.parse("localhost:70000", null).problems())
        .containsExactly("port 70000 is outside 1–65535");
  }

  @Test
  void acceptsBracketedIpv6() {
    assertThat(GatewayTarget.parse("[::1]:7000", "").target().orElseThrow().host()).isEqualTo("::1");
  }
}
