package dev.sluice.agent.health;

import dev.sluice.agent.config.Durations;
import dev.sluice.agent.config.Violation;
import dev.sluice.agent.discovery.SettingsReader;
import dev.sluice.agent.discovery.SettingsResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A service's active health check: an HTTP request sent to each instance every {@code interval} (±10 %
 * jitter), passing when the status is expected and it answers within {@code timeout}. Read from a
 * service's {@code healthCheck:} block with {@link #parse}; {@link #validate()} reports every problem.
 *
 * @param method request method, {@code GET} by default
 * @param path request target, starting with {@code /}
 * @param expectedStatuses statuses that pass; 200–399 by default
 * @param interval time between the end of one check and the start of the next (100 ms – 1 h); checks
 *     of one instance never overlap, whatever the timeout
 * @param timeout connect plus response-head time allowed (10 ms – 1 min)
 * @param healthyThreshold passing checks in a row that bring an unhealthy instance back (1–100)
 * @param unhealthyThreshold failing checks in a row that make an instance unhealthy (1–100)
 * @param host {@code Host} header; null sends the instance's {@code host:port}
 */
public record HealthCheckSettings(
    String method,
    String path,
    List<StatusRange> expectedStatuses,
    Duration interval,
    Duration timeout,
    int healthyThreshold,
    int unhealthyThreshold,
    @Nullable String host) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(1);
  public static final List<StatusRange> DEFAULT_STATUSES = List.of(new StatusRange(200, 399));
  /** Share of the interval by which each wait is randomly lengthened or shortened. */
  public static final double JITTER = 0.10;

  static final Set<String> FIELDS = Set.of(
      "method", "path", "expectedStatuses", "interval", "timeout", "healthyThreshold", "unhealthyThreshold", "host");
  private static final Pattern METHOD = Pattern.compile("[A-Z]{1,20}");
  private static final Pattern PATH = Pattern.compile("/[\\x21-\\x7e]*");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,260}");
  private static final Pattern RANGE = Pattern.compile("(\\d{3})\\s*-\\s*(\\d{3})");

  public HealthCheckSettings {
    expectedStatuses = List.copyOf(expectedStatuses);
  }

  /** GET {@code path}, 200–399, every 10 s, 1 s timeout, 2 to recover, 3 to fail. */
  public static HealthCheckSettings of(String path) {
    return new HealthCheckSettings("GET", path, DEFAULT_STATUSES, DEFAULT_INTERVAL, DEFAULT_TIMEOUT, 2, 3, null);
  }

  public HealthCheckSettings withTiming(Duration interval, Duration timeout) {
    return new HealthCheckSettings(method, path, expectedStatuses, interval, timeout, healthyThreshold,
        unhealthyThreshold, host);
  }

  public HealthCheckSettings withThresholds(int healthy, int unhealthy) {
    return new HealthCheckSettings(method, path, expectedStatuses, interval, timeout, healthy, unhealthy, host);
  }

  public HealthCheckSettings withHost(@Nullable String host) {
    return new HealthCheckSettings(method, path, expectedStatuses, interval, timeout, healthyThreshold,
        unhealthyThreshold, host);
  }

  public HealthCheckSettings withRequest(String method, List<StatusRange> expectedStatuses) {
    return new HealthCheckSettings(method, path, expectedStatuses, interval, timeout, healthyThreshold,
        unhealthyThreshold, host);
  }

  /** Whether {@code status} passes. */
  public boolean expects(int status) {
    for (StatusRange range : expectedStatuses) {
      if (status >= range.from() && status <= range.to()) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a {@code healthCheck:} block; {@code path} is required. {@code expectedStatuses} takes
   * numbers and {@code "200-299"} ranges.
   *
   * @param prefix the block's path for violations, e.g. {@code services[0].healthCheck}
   */
  public static SettingsResult<HealthCheckSettings> parse(Map<String, ?> block, String prefix) {
    List<Violation> violations = new ArrayList<>();
    SettingsReader reader = new SettingsReader(block, prefix, violations);
    reader.allowOnly(FIELDS);
    String path = reader.string("path");
    if (path == null && !reader.has("path")) {
      reader.fail("path", "is required, e.g. /health");
    }
    List<StatusRange> statuses = DEFAULT_STATUSES;
    Object raw = reader.raw("expectedStatuses");
    if (raw != null) {
      statuses = statuses(raw, reader);
    }
    HealthCheckSettings settings = new HealthCheckSettings(
        reader.string("method", "GET"),
        path == null ? "/" : path,
        statuses,
        reader.duration("interval", DEFAULT_INTERVAL),
        reader.duration("timeout", DEFAULT_TIMEOUT),
        reader.integer("healthyThreshold", 2, 1, 100),
        reader.integer("unhealthyThreshold", 3, 1, 100),
        reader.string("host"));
    if (violations.isEmpty()) {
      for (Violation violation : settings.validate()) {
        violations.add(new Violation(reader.path(violation.path()), violation.message()));
      }
    }
    return new SettingsResult<>(settings, violations);
  }

  private static List<StatusRange> statuses(Object raw, SettingsReader reader) {
    if (!(raw instanceof List<?> list) || list.isEmpty()) {
      reader.fail("expectedStatuses", "must be a non-empty list of statuses or ranges such as \"200-299\"");
      return DEFAULT_STATUSES;
    }
    List<StatusRange> result = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      Object item = list.get(i);
      if (item instanceof Integer status) {
        result.add(new StatusRange(status, status));
        continue;
      }
      Matcher m = item instanceof String text ? RANGE.matcher(text.trim()) : null;
      if (m != null && m.matches()) {
        result.add(new StatusRange(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
      } else if (item instanceof String text && text.trim().matches("\\d{3}")) {
        int status = Integer.parseInt(text.trim());
        result.add(new StatusRange(status, status));
      } else {
        reader.fail("expectedStatuses[" + i + "]", "must be a status such as 204 or a range such as \"200-299\", was " + item);
      }
    }
    return result;
  }

  /** Every problem with these settings, paths relative to the block; empty when usable. */
  public List<Violation> validate() {
    List<Violation> violations = new ArrayList<>();
    if (!METHOD.matcher(method).matches()) {
      violations.add(new Violation("method", "must be an upper-case HTTP method such as GET or HEAD, was \"" + method + "\""));
    }
    if (!PATH.matcher(path).matches()) {
      violations.add(new Violation("path", "must start with / and hold no spaces or control characters, was \"" + path + "\""));
    }
    if (expectedStatuses.isEmpty()) {
      violations.add(new Violation("expectedStatuses", "must list at least one status"));
    }
    for (int i = 0; i < expectedStatuses.size(); i++) {
      StatusRange range = expectedStatuses.get(i);
      if (range.from() < 100 || range.to() > 599 || range.from() > range.to()) {
        violations.add(new Violation("expectedStatuses[" + i + "]",
            "must be statuses between 100 and 599, lowest first, was " + range));
      }
    }
    if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
      violations.add(new Violation("interval", "must be between 100ms and 1h, was " + Durations.format(interval)));
    }
    if (timeout.compareTo(Duration.ofMillis(10)) < 0 || timeout.compareTo(Duration.ofMinutes(1)) > 0) {
      violations.add(new Violation("timeout", "must be between 10ms and 1m, was " + Durations.format(timeout)));
    }
    if (healthyThreshold < 1 || healthyThreshold > 100) {
      violations.add(new Violation("healthyThreshold", "must be between 1 and 100, was " + healthyThreshold));
    }
    if (unhealthyThreshold < 1 || unhealthyThreshold > 100) {
      violations.add(new Violation("unhealthyThreshold", "must be between 1 and 100, was " + unhealthyThreshold));
    }
    if (host != null && !HOST.matcher(host).matches()) {
      violations.add(new Violation("host", "must be a host name with an optional port, was \"" + host + "\""));
    }
    return List.copyOf(violations);
  }

  /** Statuses {@code from} to {@code to}, both included. */
  public record StatusRange(int from, int to) {
    @Override
    public String toString() {
      return from == to ? Integer.toString(from) : from + "-" + to;
    }
  }
}
