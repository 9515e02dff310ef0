package dev.sluice.agent.tls;

import dev.sluice.agent.config.Violation;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.NetUtil;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;

/**
 * The TLS client side for one upstream service: a context built once from {@link UpstreamTlsSettings}
 * and an {@link SslHandler} per upstream connection that sends SNI and verifies the certificate's
 * host name. Immutable and thread-safe.
 */
public final class UpstreamTls {

    /** The outcome of {@link #create}: a context exactly when there are no violations. */
    public record Result(@Nullable UpstreamTls tls, List<Violation> violations) {
        public Result {
            violations = List.copyOf(violations);
        }
    }

    private final UpstreamTlsSettings settings;
    private final SslContext context;

    private UpstreamTls(UpstreamTlsSettings settings, SslContext context) {
        this.settings = settings;
        this.context = context;
    }

    /** Reads the CA bundle and client certificate now; files are not read again. */
    public static Result create(UpstreamTlsSettings settings, String path) {
        List<Violation> violations = new ArrayList<>(settings.validate(path));
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }
        SslContextBuilder builder = SslContextBuilder.forClient()
                .sslProvider(SslProvider.JDK)
                .protocols(settings.protocols())
                .ciphers(settings.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                .endpointIdentificationAlgorithm(settings.verifyHostname() ? "HTTPS" : null);
        try {
            if (settings.caBundle() != null) {
                builder.trustManager(KeyMaterial.certificates(settings.caBundle()));
            }
            if (settings.certificateChain() != null && settings.privateKey() != null) {
                KeyMaterial client = KeyMaterial.load(settings.certificateChain(), settings.privateKey());
                builder.keyManager(client.key(), client.chain());
            }
            return new Result(new UpstreamTls(settings, builder.build()), List.of());
        } catch (TlsMaterialException e) {
            return new Result(null, List.of(new Violation(path, e.getMessage())));
        } catch (SSLException e) {
            return new Result(null, List.of(new Violation(path, "cannot build the TLS client context: " + e.getMessage())));
        }
    }

    /**
     * A handler for a new connection to {@code host:port}. SNI and the host-name check use the
     * configured {@code serverName}, else {@code host} (an IP literal is checked against IP SANs and
     * sends no SNI). The caller's pipeline owns the handler.
     */
    public SslHandler newHandler(ByteBufAllocator alloc, String host, int port) {
        String name = settings.serverName() != null ? settings.serverName() : host;
        if (NetUtil.isValidIpV6Address(name) && name.startsWith("[")) {
            name = name.substring(1, name.length() - 1);
        }
        return context.newHandler(alloc, name, port);
    }

    public SslContext context() {
        return context;
    }

    public UpstreamTlsSettings settings() {
        return settings;
    }
}
