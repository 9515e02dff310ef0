package dev.sluice.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.agent.tls.ClientAuthMode;
import dev.sluice.agent.tls.ListenerTls;
import dev.sluice.agent.tls.ListenerTlsSettings;
import dev.sluice.agent.tls.ListenerTlsSettings.CertificateSettings;
import dev.sluice.agent.tls.TlsDefaults;
import dev.sluice.agent.tls.UpstreamTls;
import dev.sluice.agent.tls.UpstreamTlsSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the {@code tls:} blocks of listeners and services into the settings records of the {@code tls}
 * package, and checks the files they name ({@link #checkFiles}): every problem becomes a violation
 * with its field path. Kept apart from {@link ConfigParser} so TLS reading stays in one place.
 */
final class TlsConfigReader {

    private static final Set<String> LISTENER_FIELDS = Set.of("certificates", "clientAuth", "clientCaBundle",
            "protocols", "ciphers", "alpn", "handshakeTimeout", "reloadInterval");
    private static final Set<String> CERTIFICATE_FIELDS = Set.of("certificateChain", "privateKey", "serverNames");
    private static final Set<String> UPSTREAM_FIELDS = Set.of("caBundle", "certificateChain", "privateKey",
            "serverName", "verifyHostname", "protocols", "ciphers");

    private final List<Violation> violations;

    TlsConfigReader(List<Violation> violations) {
        this.violations = violations;
    }

    @Nullable ListenerTlsSettings listener(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !object(node, path, LISTENER_FIELDS)) {
            return null;
        }
        List<CertificateSettings> certificates = new ArrayList<>();
        List<JsonNode> nodes = list(node, "certificates", path);
        if (nodes.isEmpty() && !node.has("certificates")) {
            violations.add(new Violation(path + ".certificates", "is required"));
        }
        for (int i = 0; i < nodes.size(); i++) {
            String certificatePath = path + ".certificates[" + i + "]";
            JsonNode certificate = nodes.get(i);
            if (object(certificate, certificatePath, CERTIFICATE_FIELDS)) {
                Path chain = file(certificate, "certificateChain", certificatePath, true);
                Path key = file(certificate, "privateKey", certificatePath, true);
                if (chain != null && key != null) {
                    certificates.add(new CertificateSettings(chain, key, texts(certificate, "serverNames", certificatePath)));
                }
            }
        }
        ClientAuthMode clientAuth = clientAuth(node, path);
        Path clientCa = file(node, "clientCaBundle", path, false);
        List<String> protocols = node.has("protocols") ? texts(node, "protocols", path) : TlsDefaults.PROTOCOLS;
        List<String> ciphers = node.has("ciphers") ? texts(node, "ciphers", path) : TlsDefaults.CIPHERS;
        List<String> alpn = node.has("alpn") ? texts(node, "alpn", path) : TlsDefaults.ALPN;
        Duration handshake = duration(node, "handshakeTimeout", path, ListenerTlsSettings.DEFAULT_HANDSHAKE_TIMEOUT);
        Duration reload = duration(node, "reloadInterval", path, ListenerTlsSettings.DEFAULT_RELOAD_INTERVAL);
        ListenerTlsSettings settings = new ListenerTlsSettings(certificates, clientAuth, clientCa, protocols, ciphers,
                alpn, handshake, reload);
        if (certificates.size() == nodes.size()) {
            violations.addAll(settings.validate(path));
        }
        return settings;
    }

    @Nullable UpstreamTlsSettings upstream(@Nullable JsonNode node, String path) {
        if (node == null || node.isNull() || !object(node, path, UPSTREAM_FIELDS)) {
            return null;
        }
        Path ca = file(node, "caBundle", path, false);
        Path chain = file(node, "certificateChain", path, false);
        Path key = file(node, "privateKey", path, false);
        String serverName = null;
        JsonNode name = node.get("serverName");
        if (name != null && !name.isNull()) {
            if (!name.isTextual() || name.textValue().isBlank()) {
                violations.add(new Violation(path + ".serverName", "must be a host name"));
            } else {
                serverName = name.textValue();
            }
        }
        boolean verify = true;
        JsonNode verifyNode = node.get("verifyHostname");
        if (verifyNode != null && !verifyNode.isNull()) {
            if (!verifyNode.isBoolean()) {
                violations.add(new Violation(path + ".verifyHostname", "must be true or false"));
            } else {
                verify = verifyNode.booleanValue();
            }
        }
        List<String> protocols = node.has("protocols") ? texts(node, "protocols", path) : TlsDefaults.PROTOCOLS;
        List<String> ciphers = node.has("ciphers") ? texts(node, "ciphers", path) : TlsDefaults.CIPHERS;
        UpstreamTlsSettings settings = new UpstreamTlsSettings(ca, chain, key, verify, serverName, protocols, ciphers);
        violations.addAll(settings.validate(path));
        return settings;
    }

    /**
     * Reads every certificate, key and CA bundle the config names, as the runtime will: a missing,
     * unparseable or mismatched file is a violation naming the block. Call only on a config whose
     * blocks read without violations (the paths would be meaningless otherwise).
     */
    static void checkFiles(GatewayConfig config, List<Violation> out) {
        for (int i = 0; i < config.listeners().size(); i++) {
            ListenerTlsSettings tls = config.listeners().get(i).tls();
            if (tls != null) {
                out.addAll(ListenerTls.check(tls, "listeners[" + i + "].tls"));
            }
        }
        for (int i = 0; i < config.services().size(); i++) {
            UpstreamTlsSettings tls = config.services().get(i).tls();
            if (tls != null) {
                out.addAll(UpstreamTls.create(tls, "services[" + i + "].tls").violations());
            }
        }
    }

    private ClientAuthMode clientAuth(JsonNode node, String path) {
        JsonNode value = node.get("clientAuth");
        if (value == null || value.isNull()) {
            return ClientAuthMode.NONE;
        }
        String text = value.isTextual() ? value.textValue() : value.toString();
        return switch (text) {
            case "none" -> ClientAuthMode.NONE;
            case "optional" -> ClientAuthMode.OPTIONAL;
            case "require" -> ClientAuthMode.REQUIRE;
            default -> {
                violations.add(new Violation(path + ".clientAuth", "unknown value '" + text + "' (known: none, optional, require)"));
                yield ClientAuthMode.NONE;
            }
        };
    }

    private boolean object(JsonNode node, String path, Set<String> allowed) {
        if (!node.isObject()) {
            violations.add(new Violation(path, "must be a mapping of fields"));
            return false;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!allowed.contains(field)) {
                violations.add(new Violation(path + "." + field, "unknown field '" + field + "'"));
            }
        }
        return true;
    }

    private List<JsonNode> list(JsonNode parent, String field, String path) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            violations.add(new Violation(path + "." + field, "must be a list"));
            return List.of();
        }
        List<JsonNode> items = new ArrayList<>(node.size());
        node.forEach(items::add);
        return items;
    }

    private List<String> texts(JsonNode parent, String field, String path) {
        List<String> values = new ArrayList<>();
        List<JsonNode> nodes = list(parent, field, path);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode value = nodes.get(i);
            if (!value.isTextual() || value.textValue().isBlank()) {
                violations.add(new Violation(path + "." + field + "[" + i + "]", "must be non-empty text"));
            } else {
                values.add(value.textValue());
            }
        }
        return values;
    }

    private @Nullable Path file(JsonNode parent, String field, String path, boolean required) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                violations.add(new Violation(path + "." + field, "is required (a PEM file)"));
            }
            return null;
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            violations.add(new Violation(path + "." + field, "must be the path of a PEM file"));
            return null;
        }
        return Path.of(node.textValue());
    }

    /** Like the parser's durations, but {@code 0} (or {@code 0s}) is allowed: it turns the feature off. */
    private Duration duration(JsonNode parent, String field, String path, Duration fallback) {
        JsonNode node = parent.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (node.isIntegralNumber() && node.longValue() == 0) {
            return Duration.ZERO;
        }
        Duration parsed = node.isTextual() ? Durations.parse(node.textValue()) : null;
        if (parsed == null) {
            violations.add(new Violation(path + "." + field,
                    "'" + node.asText() + "' is not a duration (use a number and a unit: 500ms, 2s, 1m, 1h)"));
            return fallback;
        }
        return parsed;
    }
}
