package dev.sluice.console.demo;

import dev.sluice.agent.admin.AgentAdmin;
import dev.sluice.agent.admin.auth.TokenHashes;
import dev.sluice.agent.cli.AdminStartup;
import dev.sluice.agent.config.ConfigLoader;
import dev.sluice.agent.config.ConfigResult;
import dev.sluice.agent.config.GatewayConfig;
import dev.sluice.agent.runtime.GatewayRuntime;
import dev.sluice.agent.runtime.RouterResolverFactory;
import dev.sluice.agent.runtime.Transport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The living gateway behind demo mode: a real, embedded gateway agent with its admin API on a
 * loopback port, sample upstream services as real loopback HTTP servers, and client traffic
 * through the agent. Tokens are random per start and exist only in memory (the agent's config
 * holds their hashes). Faults are switched per instance or service; {@link #restartAgent()} stops
 * and starts the agent on the same ports, keeping its state file and audit log.
 */
public final class DemoGateway implements AutoCloseable {
  private static final Duration AGENT_DRAIN = Duration.ofSeconds(1);

  private final Path dir;
  private final boolean ownsDir;
  private final Path configFile;
  /** 0 until the first start has bound a free port; then kept, so restarts come back on it. */
  private volatile int adminPort;
  private final String operatorToken;
  private final String viewerToken;
  private final String paymentsToken;
  private final ScheduledExecutorService upstreamTimer;
  private final Map<String, List<SampleUpstream>> upstreams;
  private final TrafficGenerator traffic;
  private volatile @Nullable GatewayRuntime runtime;
  private volatile @Nullable AgentAdmin admin;

  private DemoGateway(Path dir, boolean ownsDir, int adminPort) throws IOException {
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.configFile = dir.resolve("demo-gateway.yaml");
    this.adminPort = adminPort;
    this.operatorToken = randomToken();
    this.viewerToken = randomToken();
    this.paymentsToken = randomToken();
    this.upstreamTimer = Executors.newScheduledThreadPool(2, TrafficGenerator.daemon("sluice-demo-upstream"));
    this.upstreams = new LinkedHashMap<>();
    for (DemoTopology.Service service : DemoTopology.SERVICES) {
      List<SampleUpstream> instances = new ArrayList<>();
      for (int i = 1; i <= service.instances(); i++) {
        instances.add(SampleUpstream.start(service.name(), service.name() + "-" + i,
            service.medianMillis(), upstreamTimer));
      }
      upstreams.put(service.name(), List.copyOf(instances));
    }
    writeConfig();
    this.traffic = TrafficGenerator.start(this::proxyPort, DemoTopology.ROUTES);
  }

  /** Starts everything in a fresh temporary directory, removed again by {@link #close()}. */
  public static DemoGateway start() throws IOException, InterruptedException {
    return start(Files.createTempDirectory("sluice-demo-"), true, 0);
  }

  /**
   * Starts everything with the agent's files (config, state, audit) in {@code dir}, which the
   * caller keeps; the admin API listens on {@code adminPort} (0: a free port, bound at the first
   * start and kept for restarts).
   */
  public static DemoGateway start(Path dir, int adminPort) throws IOException, InterruptedException {
    return start(dir, false, adminPort);
  }

  private static DemoGateway start(Path dir, boolean ownsDir, int adminPort)
      throws IOException, InterruptedException {
    DemoGateway demo = new DemoGateway(dir, ownsDir, adminPort);
    try {
      demo.startAgent();
    } catch (IOException | InterruptedException | RuntimeException e) {
      demo.close();
      throw e;
    }
    return demo;
  }

  public String adminHost() {
    return InetAddress.getLoopbackAddress().getHostAddress();
  }

  public int adminPort() {
    return adminPort;
  }

  /** Bearer token of the demo operator (may trip, drain and make permanent overrides). */
  public String operatorToken() {
    return operatorToken;
  }

  /** Bearer token of a read-only viewer. */
  public String viewerToken() {
    return viewerToken;
  }

  /** Bearer token of an operator scoped to the payments service and its routes. */
  public String paymentsOperatorToken() {
    return paymentsToken;
  }

  public List<String> services() {
    return List.copyOf(upstreams.keySet());
  }

  /** The instance ids of {@code service}, in config order. */
  public List<String> instances(String service) {
    return upstreams.get(service).stream().map(SampleUpstream::id).toList();
  }

  /** Makes one instance healthy, failing, slow or dead. */
  public void setInstance(String service, String instanceId, Fault fault) {
    upstreams.get(service).stream()
        .filter(u -> u.id().equals(instanceId))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no instance " + service + "/" + instanceId))
        .behave(fault);
  }

  /** Gives every instance of {@code service} the same fault. */
  public void setService(String service, Fault fault) {
    for (SampleUpstream instance : upstreams.get(service)) {
      instance.behave(fault);
    }
  }

  /** Every instance healthy and listening again. */
  public void healAll() {
    for (List<SampleUpstream> instances : upstreams.values()) {
      for (SampleUpstream instance : instances) {
        instance.behave(Fault.NONE);
      }
    }
  }

  /** Stops the agent (admin API and proxy); the upstreams and the traffic keep going. */
  public void stopAgent() {
    AgentAdmin a = admin;
    admin = null;
    if (a != null) {
      a.close();
    }
    GatewayRuntime r = runtime;
    runtime = null;
    if (r != null) {
      r.shutdown(AGENT_DRAIN);
    }
  }

  /** Starts the agent from its config file; runtime changes persisted earlier are read back. */
  public void startAgent() throws IOException, InterruptedException {
    ConfigResult loaded = ConfigLoader.load(configFile);
    if (!loaded.ok()) {
      throw new IllegalStateException("the demo config is invalid: " + loaded.violations());
    }
    GatewayConfig config = loaded.orThrow();
    GatewayRuntime started = GatewayRuntime.start(config, new GatewayRuntime.Options(configFile,
        new RouterResolverFactory(), Transport.best(), 2, Duration.ZERO));
    AgentAdmin startedAdmin;
    try {
      startedAdmin = Objects.requireNonNull(
          AdminStartup.start(started, config, configFile, Clock.systemUTC()));
    } catch (IOException | RuntimeException e) {
      started.shutdown(Duration.ZERO);
      throw e;
    }
    admin = startedAdmin;
    runtime = started;
    if (adminPort == 0) {
      // Binding port 0 and writing the port back avoids racing other processes for a "free" port.
      adminPort = startedAdmin.port();
      writeConfig();
    }
  }

  private void writeConfig() throws IOException {
    Files.writeString(configFile, DemoTopology.yaml(adminPort, TokenHashes.hash(operatorToken),
        TokenHashes.hash(viewerToken), TokenHashes.hash(paymentsToken), upstreams),
        StandardCharsets.UTF_8);
  }

  /** Stops and starts the agent, as an operator's restart would; consoles see it reconnect. */
  public void restartAgent() throws IOException, InterruptedException {
    stopAgent();
    startAgent();
  }

  @Override
  public void close() {
    traffic.close();
    stopAgent();
    for (List<SampleUpstream> instances : upstreams.values()) {
      instances.forEach(SampleUpstream::stop);
    }
    upstreamTimer.shutdownNow();
    if (ownsDir) {
      deleteTree(dir);
    }
  }

  /** The embedded agent's proxy port on loopback; -1 while it is stopped. */
  public int proxyPort() {
    GatewayRuntime r = runtime;
    return r == null || r.proxyAddresses().isEmpty() ? -1 : r.proxyAddresses().get(0).getPort();
  }

  private static String randomToken() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return "demo-" + HexFormat.of().formatHex(bytes);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the demo directory " + root, e);
    }
  }

  /** What the Demo menu can do to an upstream instance. */
  public enum Fault {
    /** Answers after its usual latency; fails a fraction of a percent, as real services do. */
    NONE,
    /** Answers most requests with 500/503: the breaker and outlier ejection react. */
    ERRORS,
    /** Answers well past the breaker's slow-call duration. */
    SLOW,
    /** Not listening at all: connections are refused. */
    DEAD
  }
}
