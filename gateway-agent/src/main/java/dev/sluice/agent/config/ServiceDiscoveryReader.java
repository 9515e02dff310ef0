package dev.sluice.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.agent.discovery.RegistrySettings;
import dev.sluice.agent.discovery.SettingsResult;
import dev.sluice.agent.health.HealthCheckSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * Reads the discovery part of a service: {@code registry:} (static or consul), {@code discovery:
 * consul} (the file's top-level {@code registry:} block, with the service's own block laid over it),
 * {@code healthCheck:} and {@code consulMaintenance:}. Kept apart from {@link ConfigParser} so the
 * data-plane readers there stay untouched by discovery changes.
 */
final class ServiceDiscoveryReader {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceDiscoveryReader() {}

    /**
     * @param shared the file's top-level {@code registry:} block, or null
     * @param instanceReader reads one entry of an instance list (null when it is no mapping)
     * @return {@code service} with its discovery settings, and the instances of a static registry block
     */
    static ServiceConfig read(JsonNode node, String path, @Nullable JsonNode shared, List<Violation> violations,
                              ServiceConfig service, BiFunction<JsonNode, String, @Nullable InstanceConfig> instanceReader) {
        if (!node.isObject()) {
            return service;
        }
        Map<String, Object> block = registryBlock(node, path, shared, violations);
        List<InstanceConfig> instances = service.instances();
        RegistrySettings.ConsulRegistry consul = null;
        if (block != null) {
            Object type = block.getOrDefault("type", "static");
            if (type instanceof String text && text.toLowerCase(Locale.ROOT).equals("static")) {
                instances = staticInstances(node, path, violations, instanceReader);
            } else {
                SettingsResult<RegistrySettings> parsed = RegistrySettings.parse(block, path + ".registry");
                violations.addAll(parsed.violations());
                if (parsed.settings() instanceof RegistrySettings.ConsulRegistry found) {
                    consul = found;
                }
                if (node.has("instances")) {
                    violations.add(new Violation(path + ".instances",
                            "a Consul service lists no instances of its own; Consul lists them"));
                }
                instances = List.of();
            }
        }
        HealthCheckSettings healthCheck = null;
        JsonNode check = node.get("healthCheck");
        if (check != null && !check.isNull()) {
            if (!check.isObject()) {
                violations.add(new Violation(path + ".healthCheck", "must be a mapping with at least a path"));
            } else {
                SettingsResult<HealthCheckSettings> parsed = HealthCheckSettings.parse(toMap(check), path + ".healthCheck");
                violations.addAll(parsed.violations());
                healthCheck = parsed.settings();
            }
        }
        boolean maintenance = false;
        JsonNode flag = node.get("consulMaintenance");
        if (flag != null && !flag.isNull()) {
            if (!flag.isBoolean()) {
                violations.add(new Violation(path + ".consulMaintenance", "must be true or false"));
            } else {
                maintenance = flag.booleanValue();
                if (maintenance && consul == null && violationsFree(violations, path + ".registry")) {
                    violations.add(new Violation(path + ".consulMaintenance", "needs a Consul registry"));
                }
            }
        }
        ServiceConfig withInstances = instances == service.instances() ? service
                : new ServiceConfig(service.name(), instances, service.balancer(), service.connectTimeout(),
                        service.responseTimeout(), service.idleTimeout(), service.maxConnectionsPerInstance(),
                        service.breaker(), service.outlier(), service.minHealthyPercent());
        return withInstances.withDiscovery(consul, healthCheck, maintenance);
    }

    /** The registry block in force for the service, or null when its instances are simply listed. */
    private static @Nullable Map<String, Object> registryBlock(JsonNode node, String path, @Nullable JsonNode shared,
                                                               List<Violation> violations) {
        JsonNode own = node.get("registry");
        if (own != null && !own.isNull() && !own.isObject()) {
            violations.add(new Violation(path + ".registry", "must be a mapping such as {type: consul, address: …}"));
            return null;
        }
        JsonNode discovery = node.get("discovery");
        if (discovery == null || discovery.isNull()) {
            return own == null || own.isNull() ? null : toMap(own);
        }
        String kind = discovery.isTextual() ? discovery.textValue().toLowerCase(Locale.ROOT) : "";
        if (kind.equals("static")) {
            return own == null || own.isNull() ? null : toMap(own);
        }
        if (!kind.equals("consul")) {
            violations.add(new Violation(path + ".discovery", "must be static or consul, was '" + discovery.asText() + "'"));
            return null;
        }
        if (shared == null || shared.isNull()) {
            violations.add(new Violation(path + ".discovery",
                    "consul needs the top-level registry: block (address, token, …) or a registry: block of its own"));
            return null;
        }
        if (!shared.isObject()) {
            violations.add(new Violation("registry", "must be a mapping such as {type: consul, address: …}"));
            return null;
        }
        Map<String, Object> merged = new LinkedHashMap<>(toMap(shared));
        if (own != null && !own.isNull()) {
            merged.putAll(toMap(own));
        }
        merged.put("type", "consul");
        return merged;
    }

    private static List<InstanceConfig> staticInstances(JsonNode node, String path, List<Violation> violations,
                                                        BiFunction<JsonNode, String, @Nullable InstanceConfig> reader) {
        JsonNode block = node.get("registry");
        String blockPath = path + ".registry";
        List<InstanceConfig> instances = new ArrayList<>();
        if (block == null) {
            return instances;
        }
        block.fieldNames().forEachRemaining(field -> {
            if (!field.equals("type") && !field.equals("instances")) {
                violations.add(new Violation(blockPath + "." + field, "unknown field; expected one of [instances, type]"));
            }
        });
        JsonNode list = block.get("instances");
        if (list == null || !list.isArray() || list.isEmpty()) {
            violations.add(new Violation(blockPath + ".instances", "must list at least one instance"));
            return instances;
        }
        if (node.has("instances")) {
            violations.add(new Violation(path + ".instances", "give the instances here or in registry.instances, not both"));
        }
        for (int i = 0; i < list.size(); i++) {
            InstanceConfig instance = reader.apply(list.get(i), blockPath + ".instances[" + i + "]");
            if (instance != null) {
                instances.add(instance);
            }
        }
        return instances;
    }

    private static boolean violationsFree(List<Violation> violations, String prefix) {
        for (Violation violation : violations) {
            if (violation.path().startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }
}
