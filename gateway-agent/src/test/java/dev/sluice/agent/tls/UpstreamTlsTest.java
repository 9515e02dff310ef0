package dev.sluice.agent.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.agent.config.Violation;
import dev.sluice.agent.testing.tls.CertificateFactory;
import dev.sluice.agent.testing.tls.CertificateFactory.Issued;
import dev.sluice.agent.testing.tls.CertificateFactory.PemFiles;
import dev.sluice.agent.tls.ListenerTlsSettings.CertificateSettings;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.netty.handler.codec.string.StringDecoder;
import io.netty.handler.ssl.SslHandler;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UpstreamTlsTest {

    @TempDir static Path dir;

    static final MultiThreadIoEventLoopGroup GROUP = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    static Path caBundle;
    static Path otherCaBundle;
    static PemFiles gatewayClient;
    static ListenerTls plainTls;
    static ListenerTls mutualTls;
    static TlsTestServer plain;
    static TlsTestServer mutual;

    @BeforeAll
    static void start() throws Exception {
        Issued ca = CertificateFactory.newCa("Upstream CA");
        Issued otherCa = CertificateFactory.newCa("Other CA");
        caBundle = CertificateFactory.writeCertificate(dir.resolve("ca.pem"), ca.certificate());
        otherCaBundle = CertificateFactory.writeCertificate(dir.resolve("other-ca.pem"), otherCa.certificate());
        PemFiles api = CertificateFactory.newServer(ca, "api.internal.test", List.of("api.internal.test"), false)
                .writeTo(dir, "api");
        PemFiles billing = CertificateFactory.newServer(ca, "billing.internal.test", List.of("billing.internal.test"), true)
                .writeTo(dir, "billing");
        gatewayClient = CertificateFactory.newClient(ca, "gateway").writeTo(dir, "gateway");

        ListenerTlsSettings both = ListenerTlsSettings.of(List.of(
                new CertificateSettings(api.certificate(), api.privateKey()),
                new CertificateSettings(billing.certificate(), billing.privateKey())));
        plainTls = ListenerTls.start(both, "upstream", Set.of("http/1.1")).tls();
        mutualTls = ListenerTls.start(both.withClientAuth(ClientAuthMode.REQUIRE, caBundle), "upstream-mtls",
                Set.of("http/1.1")).tls();
        plain = TlsTestServer.of(plainTls);
        mutual = TlsTestServer.of(mutualTls);
    }

    @AfterAll
    static void stop() {
        plain.close();
        mutual.close();
        plainTls.close();
        mutualTls.close();
        GROUP.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    static UpstreamTls tls(UpstreamTlsSettings settings) {
        UpstreamTls.Result result = UpstreamTls.create(settings, "services[0].tls");
        assertThat(result.violations()).isEmpty();
        return result.tls();
    }

    /** Connects to 127.0.0.1:port presenting {@code host}; returns "<server subject> | <server line>". */
    static String connect(UpstreamTls tls, String host, int port) throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        Channel channel = new Bootstrap().group(GROUP).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                        ssl.handshakeFuture().addListener(f -> {
                            if (!f.isSuccess()) {
                                result.completeExceptionally(f.cause());
                            }
                        });
                        ch.pipeline().addLast(ssl, new LineBasedFrameDecoder(512), new StringDecoder(StandardCharsets.UTF_8),
                                new SimpleChannelInboundHandler<String>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, String line) throws Exception {
                                        X509Certificate peer = (X509Certificate) ssl.engine().getSession().getPeerCertificates()[0];
                                        result.complete(peer.getSubjectX500Principal().getName() + " | " + line);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        result.completeExceptionally(new ClosedChannelException());
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        result.completeExceptionally(cause);
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect("127.0.0.1", port).sync().channel();
        try {
            return result.get(15, TimeUnit.SECONDS);
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void connectsToAnUpstreamWhoseCertificateChainsToTheBundleVerifyingItsIpAddress() throws Exception {
        assertThat(connect(tls(UpstreamTlsSettings.trusting(caBundle)), "127.0.0.1", plain.port()))
                .startsWith("CN=api.internal.test | ok TLSv1.3");
    }

    @Test
    void serverNameIsSentAsSniAndVerifiedAgainstTheCertificate() throws Exception {
        UpstreamTls billing = tls(UpstreamTlsSettings.trusting(caBundle).withServerName("billing.internal.test"));

        assertThat(connect(billing, "127.0.0.1", plain.port())).startsWith("CN=billing.internal.test | ok");
    }

    @Test
    void aCertificateForAnotherNameIsRefusedUnlessHostNameVerificationIsOff() throws Exception {
        // No certificate is for this name: the server answers with its default (api.internal.test).
        UpstreamTls verifying = tls(UpstreamTlsSettings.trusting(caBundle).withServerName("orders.internal.test"));
        UpstreamTls lax = tls(UpstreamTlsSettings.trusting(caBundle).withServerName("orders.internal.test")
                .withVerifyHostname(false));

        assertThatThrownBy(() -> connect(verifying, "127.0.0.1", plain.port())).isInstanceOf(ExecutionException.class);
        assertThat(connect(lax, "127.0.0.1", plain.port())).startsWith("CN=api.internal.test | ok");
    }

    @Test
    void anUpstreamFromAnotherCaIsRefused() {
        UpstreamTls other = tls(UpstreamTlsSettings.trusting(otherCaBundle));

        assertThatThrownBy(() -> connect(other, "127.0.0.1", plain.port())).isInstanceOf(ExecutionException.class);
    }

    @Test
    void theClientCertificateIsPresentedToAnUpstreamThatRequiresOne() throws Exception {
        UpstreamTls withCert = tls(UpstreamTlsSettings.trusting(caBundle)
                .withClientCertificate(gatewayClient.certificate(), gatewayClient.privateKey()));
        UpstreamTls withoutCert = tls(UpstreamTlsSettings.trusting(caBundle));

        assertThat(connect(withCert, "127.0.0.1", mutual.port())).endsWith("CN=gateway");
        assertThatThrownBy(() -> connect(withoutCert, "127.0.0.1", mutual.port())).isInstanceOf(ExecutionException.class);
    }

    @Test
    void settingsAndUnusableFilesAreReportedAsViolations() {
        UpstreamTlsSettings half = new UpstreamTlsSettings(caBundle, gatewayClient.certificate(), null, true, "*.wild",
                List.of("TLSv1"), List.of("TLS_RSA_WITH_AES_128_CBC_SHA"));
        UpstreamTls.Result missingCa = UpstreamTls.create(UpstreamTlsSettings.trusting(dir.resolve("missing.pem")), "s");

        assertThat(half.validate("s")).extracting(Violation::path)
                .containsExactlyInAnyOrder("s.privateKey", "s.serverName", "s.protocols[0]", "s.ciphers[0]");
        assertThat(missingCa.tls()).isNull();
        assertThat(missingCa.violations()).singleElement().extracting(Violation::message).asString().contains("missing.pem");
    }
}
