package dev.sluice.agent.tls;

import dev.sluice.agent.config.Violation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Hands out one {@link UpstreamTls} per settings, rebuilt only when the settings or the bytes of the
 * files they name change, so snapshots rebuilt for runtime changes (drains, limits) do not rebuild
 * TLS contexts, and a config reload picks up a renewed CA bundle or client certificate. Thread-safe.
 */
public final class UpstreamTlsCache {

    private record Entry(byte[] fingerprint, UpstreamTls tls) {}

    private final Map<UpstreamTlsSettings, Entry> entries = new ConcurrentHashMap<>();

    /**
     * The context for these settings. Reads the files (never call it on an event loop).
     *
     * @throws IllegalStateException when the files are unusable; the config loader reports that as
     *     violations first, so this means they changed between the check and now
     */
    public UpstreamTls get(UpstreamTlsSettings settings, String path) {
        byte[] fingerprint = KeyMaterial.fingerprint(files(settings));
        Entry cached = entries.get(settings);
        if (cached != null && Arrays.equals(cached.fingerprint(), fingerprint)) {
            return cached.tls();
        }
        UpstreamTls.Result result = UpstreamTls.create(settings, path);
        UpstreamTls tls = result.tls();
        if (tls == null) {
            StringBuilder reasons = new StringBuilder();
            for (Violation violation : result.violations()) {
                reasons.append(violation).append("; ");
            }
            throw new IllegalStateException("upstream TLS cannot be built: " + reasons);
        }
        entries.put(settings, new Entry(fingerprint, tls));
        return tls;
    }

    private static List<Path> files(UpstreamTlsSettings settings) {
        List<Path> files = new ArrayList<>(3);
        for (Path file : new Path[] {settings.caBundle(), settings.certificateChain(), settings.privateKey()}) {
            if (file != null) {
                files.add(file);
            }
        }
        return files;
    }
}
