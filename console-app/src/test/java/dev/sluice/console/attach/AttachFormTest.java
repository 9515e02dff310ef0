package dev.sluice.console.attach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.console.connection.GatewayTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttachFormTest {
  @TempDir
  Path dir;

  @Test
  void reportsEveryProblemAtOnceAndOffersNoTarget() {
    AttachForm form = new AttachForm("", "gw-1", true, dir.resolve("missing-ca.pem").toString(),
        dir.resolve("client.pem").toString(), "", "t", false, true);

    assertThat(form.problems()).containsExactlyInAnyOrder(
        "address \"gw-1\" must be host:port",
        "a profile to save needs a name",
        "CA file " + dir.resolve("missing-ca.pem") + " cannot be read",
        "client certificate " + dir.resolve("client.pem") + " cannot be read",
        "mTLS needs both the client certificate and its key");
    assertThat(form.target()).isEmpty();
  }

  @Test
  void tlsFormBecomesATargetWithItsMaterialAndTheViewOnlySwitch() throws Exception {
    Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
    Path cert = Files.writeString(dir.resolve("client.pem"), "pem");
    Path key = Files.writeString(dir.resolve("client.key"), "pem");
    AttachForm form = new AttachForm("prod", "gw-1.internal:9901", true, ca.toString(),
        cert.toString(), key.toString(), "s3cret", true, true);

    GatewayTarget target = form.target().orElseThrow();

    assertThat(target.address()).isEqualTo("gw-1.internal:9901");
    assertThat(target.token()).isEqualTo("s3cret");
    assertThat(target.tls()).isEqualTo(new GatewayTarget.Tls(true, ca, cert, key));
    assertThat(target.viewOnly()).isTrue();
    assertThat(form.profile()).isEqualTo(new ConnectionProfile("prod", "gw-1.internal:9901", true,
        ca.toString(), cert.toString(), key.toString(), true));
  }

  @Test
  void tlsMaterialIsIgnoredWhenTlsIsOff() {
    AttachForm form = new AttachForm("", "127.0.0.1:9901", false, "/nowhere/ca.pem", "", "", "",
        false, false);

    assertThat(form.problems()).isEmpty();
    assertThat(form.target().orElseThrow().tls()).isEqualTo(GatewayTarget.Tls.PLAINTEXT);
  }
}
