package dev.sluice.agent.tls;

import dev.sluice.agent.config.Violation;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.DomainWildcardMappingBuilder;
import io.netty.util.Mapping;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener's TLS: one {@link SslContext} per configured certificate behind an SNI mapping (the
 * first certificate for clients without SNI or with an unknown name), TLS 1.2/1.3 only, ALPN, and
 * optional client-certificate verification. A background thread re-reads the files every {@code
 * reloadInterval}; when they changed and are usable it swaps the whole mapping at once, so new
 * handshakes use the new certificates and open connections keep theirs. A broken replacement is
 * logged and the current certificates stay. Add {@link #newHandler()} first in each client pipeline.
 */
public final class ListenerTls implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerTls.class);
    /** ClientHellos larger than this are refused before any certificate is chosen. */
    private static final int MAX_CLIENT_HELLO_LENGTH = 16 * 1024;

    /** The outcome of {@link #start}: a listener TLS exactly when there are no violations. */
    public record Result(@Nullable ListenerTls tls, List<Violation> violations) {
        public Result {
            violations = List.copyOf(violations);
        }
    }

    /** The certificates in use: swapped as a whole on reload. */
    private record Material(byte[] fingerprint, SslContext defaultContext, Mapping<String, SslContext> mapping,
            List<X509Certificate> leaves) {}

    private final ListenerTlsSettings settings;
    private final String path;
    private final List<String> alpn;
    private final List<Path> files;
    private final AtomicLong generation = new AtomicLong(1);
    private final Mapping<String, SslContext> mapping = this::select;
    private volatile Material current;
    private byte @Nullable [] lastRefused;
    private @Nullable ScheduledExecutorService watcher;

    private ListenerTls(ListenerTlsSettings settings, String path, List<String> alpn, List<Path> files, Material material) {
        this.settings = settings;
        this.path = path;
        this.alpn = alpn;
        this.files = files;
        this.current = material;
    }

    /**
     * Builds the contexts from the files and starts the reload watcher.
     *
     * @param path the config path of these settings, prefixed to violations
     * @param served the ALPN protocols the listener's pipeline can speak; only those configured in
     *     {@code alpn} and served are advertised, so a client is never offered h2 a pipeline lacks
     */
    public static Result start(ListenerTlsSettings settings, String path, Set<String> served) {
        List<Violation> violations = new ArrayList<>(settings.validate(path));
        List<String> alpn = new ArrayList<>();
        for (String name : settings.alpn()) {
            if (served.contains(name)) {
                alpn.add(name);
            }
        }
        if (violations.isEmpty() && alpn.isEmpty()) {
            violations.add(new Violation(path + ".alpn", "none of " + settings.alpn() + " is served by this listener ("
                    + served + ")"));
        }
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }
        List<Path> files = watchedFiles(settings);
        Material material;
        try {
            material = load(settings, alpn, KeyMaterial.fingerprint(files));
        } catch (TlsMaterialException e) {
            return new Result(null, List.of(new Violation(path, e.getMessage())));
        }
        ListenerTls tls = new ListenerTls(settings, path, List.copyOf(alpn), files, material);
        tls.startWatcher();
        return new Result(tls, List.of());
    }

    /**
     * Checks the settings and reads every file they name, as {@link #start} would, without starting
     * anything: the violations a config loader reports before the listener exists.
     */
    public static List<Violation> check(ListenerTlsSettings settings, String path) {
        List<Violation> violations = new ArrayList<>(settings.validate(path));
        if (!violations.isEmpty()) {
            return violations;
        }
        try {
            load(settings, settings.alpn(), new byte[0]);
        } catch (TlsMaterialException e) {
            violations.add(new Violation(path, e.getMessage()));
        }
        return violations;
    }

    private static List<Path> watchedFiles(ListenerTlsSettings settings) {
        List<Path> files = new ArrayList<>();
        for (ListenerTlsSettings.CertificateSettings certificate : settings.certificates()) {
            files.add(certificate.certificateChain());
            files.add(certificate.privateKey());
        }
        if (settings.clientCaBundle() != null) {
            files.add(settings.clientCaBundle());
        }
        return List.copyOf(files);
    }

    private static Material load(ListenerTlsSettings settings, List<String> alpn, byte[] fingerprint)
            throws TlsMaterialException {
        List<X509Certificate> trusted = settings.clientCaBundle() == null
                ? List.of() : KeyMaterial.certificates(settings.clientCaBundle());
        SslContext defaultContext = null;
        DomainWildcardMappingBuilder<SslContext> builder = null;
        List<X509Certificate> leaves = new ArrayList<>();
        for (ListenerTlsSettings.CertificateSettings certificate : settings.certificates()) {
            KeyMaterial material = KeyMaterial.load(certificate.certificateChain(), certificate.privateKey());
            SslContext context = context(settings, alpn, material, trusted);
            if (defaultContext == null) {
                defaultContext = context;
                builder = new DomainWildcardMappingBuilder<>(context);
            }
            List<String> names = certificate.serverNames().isEmpty()
                    ? KeyMaterial.dnsNames(material.chain().get(0)) : certificate.serverNames();
            for (String name : names) {
                builder.add(name, context);
            }
            leaves.add(material.chain().get(0));
        }
        if (defaultContext == null || builder == null) {
            throw new TlsMaterialException("no certificate configured");
        }
        return new Material(fingerprint, defaultContext, builder.build(), List.copyOf(leaves));
    }

    private static SslContext context(ListenerTlsSettings settings, List<String> alpn, KeyMaterial material,
            List<X509Certificate> trusted) throws TlsMaterialException {
        SslContextBuilder builder = SslContextBuilder.forServer(material.key(), material.chain())
                .sslProvider(SslProvider.JDK)
                .protocols(settings.protocols())
                .ciphers(settings.ciphers(), SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        // Clients that offer none of our protocols are refused rather than guessed at.
                        ApplicationProtocolConfig.SelectorFailureBehavior.FATAL_ALERT,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.FATAL_ALERT,
                        alpn))
                .clientAuth(settings.clientAuth().netty());
        if (settings.clientAuth() != ClientAuthMode.NONE) {
            builder.trustManager(trusted);
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new TlsMaterialException("cannot build a TLS context for " + material.chain().get(0)
                    .getSubjectX500Principal() + ": " + e.getMessage());
        }
    }

    private void startWatcher() {
        long interval = settings.reloadInterval().toMillis();
        if (interval <= 0) {
            return;
        }
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "sluice-tls-reload-" + path);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::reloadQuietly, interval, interval, TimeUnit.MILLISECONDS);
        watcher = executor;
    }

    private void reloadQuietly() {
        try {
            reloadIfChanged();
        } catch (RuntimeException e) {
            LOG.error("TLS reload of {} failed unexpectedly; the current certificates stay", path, e);
        }
    }

    /**
     * Re-reads the files and, if they changed and are usable, swaps in the new certificates. Returns
     * whether a swap happened. Reads files: never call it on an event loop. The watcher calls it.
     */
    public synchronized boolean reloadIfChanged() {
        byte[] fingerprint = KeyMaterial.fingerprint(files);
        if (Arrays.equals(fingerprint, current.fingerprint()) || Arrays.equals(fingerprint, lastRefused)) {
            return false;
        }
        try {
            current = load(settings, alpn, fingerprint);
            lastRefused = null;
            long now = generation.incrementAndGet();
            LOG.info("TLS certificates of {} reloaded (generation {})", path, now);
            return true;
        } catch (TlsMaterialException e) {
            // Files are often replaced one by one: the next change gets another try.
            lastRefused = fingerprint;
            LOG.warn("TLS certificates of {} changed but cannot be used, keeping the current ones: {}", path,
                    e.getMessage());
            return false;
        }
    }

    private SslContext select(@Nullable String serverName) {
        return current.mapping().map(serverName);
    }

    /** A new handler for one client connection: it reads the SNI name and installs the matching SslHandler. */
    public SniHandler newHandler() {
        return new SniHandler(mapping, MAX_CLIENT_HELLO_LENGTH, settings.handshakeTimeout().toMillis());
    }

    /** The context a handshake for {@code serverName} gets now (the default one for null or unknown names). */
    public SslContext context(@Nullable String serverName) {
        return select(serverName);
    }

    /** The leaf certificates in use, in configured order. */
    public List<X509Certificate> certificates() {
        return current.leaves();
    }

    /** Starts at 1 and grows with each successful reload. */
    public long generation() {
        return generation.get();
    }

    /** The ALPN protocols advertised, in preference order. */
    public List<String> alpn() {
        return alpn;
    }

    /** Stops the reload watcher; handlers already made keep working. */
    @Override
    public void close() {
        ScheduledExecutorService executor = watcher;
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
