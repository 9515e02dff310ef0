package dev.sluice.agent.discovery;

import dev.sluice.agent.config.InstanceConfig;
import dev.sluice.agent.config.Violation;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a service's instances come from: the {@code registry:} block of a service in the config file.
 * Read it with {@link #parse}, which reports every violation at once; {@link #validate()} checks
 * ranges and files (paths relative to the block). Without a block a service is static with the
 * service's own {@code instances:} ({@link StaticRegistry#of}).
 */
public sealed interface RegistrySettings permits RegistrySettings.StaticRegistry, RegistrySettings.ConsulRegistry {

  /** Every problem with these settings, paths relative to the {@code registry:} block; empty when usable. */
  List<Violation> validate();

  /**
   * Reads a {@code registry:} block ({@code type: static} or {@code type: consul}).
   *
   * @param prefix the block's path for violations, e.g. {@code services[2].registry}
   */
  static SettingsResult<RegistrySettings> parse(Map<String, ?> block, String prefix) {
    List<Violation> violations = new ArrayList<>();
    SettingsReader reader = new SettingsReader(block, prefix, violations);
    String type = reader.string("type", "static").toLowerCase(Locale.ROOT);
    RegistrySettings settings;
    switch (type) {
      case "static" -> settings = StaticRegistry.read(reader);
      case "consul" -> settings = ConsulRegistry.read(reader);
      default -> {
        reader.fail("type", "must be static or consul, was \"" + type + "\"");
        return new SettingsResult<>(null, violations);
      }
    }
    if (violations.isEmpty()) {
      for (Violation violation : settings.validate()) {
        violations.add(new Violation(reader.path(violation.path()), violation.message()));
      }
    }
    return new SettingsResult<>(settings, violations);
  }

  /** @throws IllegalArgumentException listing the violations, if there are any */
  static void requireValid(RegistrySettings settings) {
    List<Violation> violations = settings.validate();
    if (!violations.isEmpty()) {
      throw new IllegalArgumentException("invalid registry settings: " + violations);
    }
  }

  /** One instance listed in the config file. */
  record StaticInstance(String host, int port, int weight, @Nullable String zone) {}

  /** Instances listed in the config file; always passing, weight 1 unless given. */
  record StaticRegistry(List<StaticInstance> instances) implements RegistrySettings {
    static final Set<String> FIELDS = Set.of("type", "instances");
    static final Set<String> INSTANCE_FIELDS = Set.of("host", "port", "weight", "zone");

    public StaticRegistry {
      instances = List.copyOf(instances);
    }

    /** The service's own {@code instances:} list, each with weight 1 and no zone. */
    public static StaticRegistry of(List<InstanceConfig> instances) {
      List<StaticInstance> list = new ArrayList<>(instances.size());
      for (InstanceConfig instance : instances) {
        list.add(new StaticInstance(instance.host(), instance.port(), 1, null));
      }
      return new StaticRegistry(list);
    }

    static StaticRegistry read(SettingsReader reader) {
      reader.allowOnly(FIELDS);
      List<Map<String, Object>> blocks = reader.blocks("instances");
      List<StaticInstance> instances = new ArrayList<>(blocks.size());
      for (int i = 0; i < blocks.size(); i++) {
        SettingsReader item = reader.nested(blocks.get(i), "instances[" + i + "]");
        item.allowOnly(INSTANCE_FIELDS);
        instances.add(new StaticInstance(
            item.string("host", ""), item.integer("port", 0, 1, 65_535),
            item.integer("weight", 1, 1, ServiceInstance.MAX_WEIGHT), item.string("zone")));
      }
      return new StaticRegistry(instances);
    }

    @Override
    public List<Violation> validate() {
      List<Violation> violations = new ArrayList<>();
      if (instances.isEmpty()) {
        violations.add(new Violation("instances", "must list at least one instance"));
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < instances.size(); i++) {
        StaticInstance instance = instances.get(i);
        String path = "instances[" + i + "]";
        if (instance.host().isBlank()) {
          violations.add(new Violation(path + ".host", "is required"));
        }
        if (instance.port() < 1 || instance.port() > 65_535) {
          violations.add(new Violation(path + ".port", "must be between 1 and 65535, was " + instance.port()));
        }
        if (instance.weight() < 1 || instance.weight() > ServiceInstance.MAX_WEIGHT) {
          violations.add(new Violation(path + ".weight",
              "must be between 1 and " + ServiceInstance.MAX_WEIGHT + ", was " + instance.weight()));
        }
        if (!seen.add(instance.host() + ":" + instance.port())) {
          violations.add(new Violation(path, "lists " + instance.host() + ":" + instance.port() + " twice"));
        }
      }
      return List.copyOf(violations);
    }
  }

  /**
   * TLS to the Consul agent: a CA bundle to trust (PEM, the JDK's trust store when absent) and an
   * optional client certificate chain with its PKCS#8 PEM key.
   */
  record ConsulTls(@Nullable Path caFile, @Nullable Path certFile, @Nullable Path keyFile) {
    static final Set<String> FIELDS = Set.of("caFile", "certFile", "keyFile");
  }

  /**
   * A service watched in Consul's health API with blocking queries.
   *
   * @param address the agent's base URL, {@code http://127.0.0.1:8500} by default
   * @param serviceName the service's name in Consul; null means the Sluice service name
   * @param datacenter null means the agent's own datacenter
   * @param token an ACL token, sent as {@code X-Consul-Token}; never logged nor printed by {@link #toString()}
   * @param tokenFile a file holding the ACL token (read when the registry starts); not with {@code token}
   * @param tags only instances carrying every one of these tags ({@code tag: x} in the file adds one)
   * @param tls TLS material for an {@code https} address; null for the JDK defaults
   * @param waitTime how long Consul may hold a blocking query (1 s – 10 min)
   * @param retryInitial first retry delay after a failed query
   * @param retryMax longest retry delay
   * @param connectTimeout TCP (and TLS) connect timeout to the agent
   */
  record ConsulRegistry(
      URI address,
      @Nullable String serviceName,
      @Nullable String datacenter,
      @Nullable String token,
      @Nullable Path tokenFile,
      List<String> tags,
      @Nullable ConsulTls tls,
      Duration waitTime,
      Duration retryInitial,
      Duration retryMax,
      Duration connectTimeout) implements RegistrySettings {

    public static final URI DEFAULT_ADDRESS = URI.create("http://127.0.0.1:8500");
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(55);
    public static final Duration DEFAULT_RETRY_INITIAL = Duration.ofMillis(250);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    static final Set<String> FIELDS = Set.of(
        "type", "address", "service", "datacenter", "token", "tokenFile", "tag", "tags", "tls", "waitTime",
        "retryInitial", "retryMax", "connectTimeout");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public ConsulRegistry {
      Objects.requireNonNull(address, "address");
      tags = List.copyOf(tags);
    }

    /** Defaults for everything but the address. */
    public static ConsulRegistry at(URI address) {
      return new ConsulRegistry(address, null, null, null, null, List.of(), null, DEFAULT_WAIT,
          DEFAULT_RETRY_INITIAL, DEFAULT_RETRY_MAX, DEFAULT_CONNECT_TIMEOUT);
    }

    public ConsulRegistry withToken(@Nullable String token) {
      return new ConsulRegistry(address, serviceName, datacenter, token, tokenFile, tags, tls, waitTime,
          retryInitial, retryMax, connectTimeout);
    }

    public ConsulRegistry withTags(List<String> tags) {
      return new ConsulRegistry(address, serviceName, datacenter, token, tokenFile, tags, tls, waitTime,
          retryInitial, retryMax, connectTimeout);
    }

    public ConsulRegistry withServiceName(@Nullable String serviceName) {
      return new ConsulRegistry(address, serviceName, datacenter, token, tokenFile, tags, tls, waitTime,
          retryInitial, retryMax, connectTimeout);
    }

    public ConsulRegistry withDatacenter(@Nullable String datacenter) {
      return new ConsulRegistry(address, serviceName, datacenter, token, tokenFile, tags, tls, waitTime,
          retryInitial, retryMax, connectTimeout);
    }

    public ConsulRegistry withTls(@Nullable ConsulTls tls) {
      return new ConsulRegistry(address, serviceName, datacenter, token, tokenFile, tags, tls, waitTime,
          retryInitial, retryMax, connectTimeout);
    }

    public ConsulRegistry withTiming(Duration waitTime, Duration retryInitial, Duration retryMax) {
      return new ConsulRegistry(address, serviceName, datacenter, token, tokenFile, tags, tls, waitTime,
          retryInitial, retryMax, connectTimeout);
    }

    static ConsulRegistry read(SettingsReader reader) {
      reader.allowOnly(FIELDS);
      URI address = DEFAULT_ADDRESS;
      String text = reader.string("address");
      if (text != null) {
        try {
          address = new URI(text);
        } catch (URISyntaxException e) {
          reader.fail("address", "must be a URL such as http://127.0.0.1:8500, was \"" + text + "\"");
        }
      }
      String tokenFile = reader.string("tokenFile");
      ConsulTls tls = null;
      Map<String, Object> tlsBlock = reader.block("tls");
      if (tlsBlock != null) {
        SettingsReader tlsReader = reader.nested(tlsBlock, "tls");
        tlsReader.allowOnly(ConsulTls.FIELDS);
        tls = new ConsulTls(path(tlsReader.string("caFile")), path(tlsReader.string("certFile")),
            path(tlsReader.string("keyFile")));
      }
      List<String> tags = new ArrayList<>(reader.strings("tags"));
      String tag = reader.string("tag");
      if (tag != null && !tags.contains(tag)) {
        tags.add(tag);
      }
      return new ConsulRegistry(
          address,
          reader.string("service"),
          reader.string("datacenter"),
          reader.string("token"),
          path(tokenFile),
          tags,
          tls,
          reader.duration("waitTime", DEFAULT_WAIT),
          reader.duration("retryInitial", DEFAULT_RETRY_INITIAL),
          reader.duration("retryMax", DEFAULT_RETRY_MAX),
          reader.duration("connectTimeout", DEFAULT_CONNECT_TIMEOUT));
    }

    private static @Nullable Path path(@Nullable String text) {
      return text == null ? null : Path.of(text);
    }

    @Override
    public List<Violation> validate() {
      List<Violation> violations = new ArrayList<>();
      String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https")) {
        violations.add(new Violation("address", "must start with http:// or https://, was \"" + address + "\""));
      } else if (address.getHost() == null) {
        violations.add(new Violation("address", "must name a host, was \"" + address + "\""));
      }
      if (serviceName != null && !NAME.matcher(serviceName).matches()) {
        violations.add(new Violation("service", "must be 1–128 letters, digits, '.', '_' or '-', was \"" + serviceName + "\""));
      }
      if (datacenter != null && !NAME.matcher(datacenter).matches()) {
        violations.add(new Violation("datacenter", "must be 1–128 letters, digits, '.', '_' or '-', was \"" + datacenter + "\""));
      }
      if (token != null && tokenFile != null) {
        violations.add(new Violation("token", "give either token or tokenFile, not both"));
      }
      if (token != null && token.isBlank()) {
        violations.add(new Violation("token", "must not be empty"));
      }
      checkReadable(violations, "tokenFile", tokenFile);
      for (int i = 0; i < tags.size(); i++) {
        if (tags.get(i).isBlank()) {
          violations.add(new Violation("tags[" + i + "]", "must not be empty"));
        }
      }
      if (tls != null) {
        if (!scheme.equals("https")) {
          violations.add(new Violation("tls", "needs an https:// address, was \"" + address + "\""));
        }
        if ((tls.certFile() == null) != (tls.keyFile() == null)) {
          violations.add(new Violation("tls", "certFile and keyFile go together; give both or neither"));
        }
        checkReadable(violations, "tls.caFile", tls.caFile());
        checkReadable(violations, "tls.certFile", tls.certFile());
        checkReadable(violations, "tls.keyFile", tls.keyFile());
      }
      checkRange(violations, "waitTime", waitTime, Duration.ofSeconds(1), Duration.ofMinutes(10));
      checkRange(violations, "retryInitial", retryInitial, Duration.ofMillis(1), Duration.ofMinutes(1));
      checkRange(violations, "retryMax", retryMax, Duration.ofMillis(1), Duration.ofMinutes(10));
      if (retryMax.compareTo(retryInitial) < 0) {
        violations.add(new Violation("retryMax", "must be at least retryInitial (" + retryInitial + "), was " + retryMax));
      }
      checkRange(violations, "connectTimeout", connectTimeout, Duration.ofMillis(1), Duration.ofMinutes(1));
      return List.copyOf(violations);
    }

    private static void checkReadable(List<Violation> violations, String path, @Nullable Path file) {
      if (file != null && !Files.isReadable(file)) {
        violations.add(new Violation(path, "cannot read " + file));
      }
    }

    private static void checkRange(List<Violation> violations, String path, Duration value, Duration min, Duration max) {
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        violations.add(new Violation(path, "must be between " + min + " and " + max + ", was " + value));
      }
    }

    /** Like the record's own, but the token is never printed. */
    @Override
    public String toString() {
      return "ConsulRegistry[address=" + address + ", serviceName=" + serviceName + ", datacenter=" + datacenter
          + ", token=" + (token == null ? "none" : "(redacted)") + ", tokenFile=" + tokenFile + ", tags=" + tags
          + ", tls=" + tls + ", waitTime=" + waitTime + ", retryInitial=" + retryInitial + ", retryMax=" + retryMax
          + ", connectTimeout=" + connectTimeout + "]";
    }
  }
}
