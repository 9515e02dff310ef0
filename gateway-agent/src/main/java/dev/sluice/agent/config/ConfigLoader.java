package dev.sluice.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates a configuration file as a whole. Never throws for bad input: a file that
 * cannot be read, is not YAML or breaks any rule comes back as a {@link ConfigResult} listing every
 * violation, and nothing from it may be applied.
 */
public final class ConfigLoader {

    private static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    private ConfigLoader() {}

    public static ConfigResult load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return ConfigResult.invalid(List.of(new Violation("", "cannot read " + file + ": " + e.getMessage())));
        }
        return parse(text);
    }

    /** A value read on its own, with every violation (paths under the given prefix); use it only when there are none. */
    public record Parsed<T>(T value, List<Violation> violations) {
        public Parsed {
            violations = List.copyOf(violations);
        }

        public boolean ok() {
            return violations.isEmpty();
        }
    }

    /** Reads one route (a runtime upsert) with the file's rules; paths start with {@code path}. */
    public static Parsed<RouteConfig> parseRoute(JsonNode node, String path) {
        ConfigParser parser = new ConfigParser();
        RouteConfig route = parser.parseRoute(node, path);
        return new Parsed<>(route, parser.violations());
    }

    /** Reads one rate limit (a runtime limit change) with the file's rules; paths start with {@code path}. */
    public static Parsed<@Nullable RateLimitConfig> parseRateLimit(JsonNode node, String path) {
        ConfigParser parser = new ConfigParser();
        RateLimitConfig limit = parser.parseRateLimit(node, path);
        return new Parsed<>(limit, parser.violations());
    }

    /** The cross-field checks of a whole config (names, references, route conflicts), as on load. */
    public static List<Violation> crossCheck(GatewayConfig config) {
        return ConfigValidator.validate(config);
    }

    public static ConfigResult parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            return ConfigResult.invalid(List.of(new Violation("", "not valid YAML" + where + ": " + e.getOriginalMessage())));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return ConfigResult.invalid(List.of(new Violation("", "the file is empty")));
        }
        ConfigParser parser = new ConfigParser();
        GatewayConfig config = parser.parse(root);
        List<Violation> violations = new ArrayList<>(parser.violations());
        violations.addAll(ConfigValidator.validate(config));
        if (violations.isEmpty()) {
            // Only a config that is otherwise valid has its certificate files read.
            TlsConfigReader.checkFiles(config, violations);
        }
        return violations.isEmpty() ? ConfigResult.valid(config) : ConfigResult.invalid(violations);
    }
}
