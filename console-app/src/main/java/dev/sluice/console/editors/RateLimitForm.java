package dev.sluice.console.editors;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import dev.sluice.console.telemetry.Figures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * The rate-limit editor's fields for one route, as text the operator types, checked as a whole
 * with every problem named by its admin API path ({@code limit.burst}). With a time-to-live the
 * gateway puts the previous limit back by itself when it ends. UI thread only.
 */
public final class RateLimitForm implements Edit {
  /** Largest refill rate the editor accepts; a typo's extra zeros are caught before the gateway. */
  static final double MAX_RATE = 1_000_000;
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  private final String routeId;
  private final Duration maxTtl;
  private final StringProperty requestsPerSecond = new SimpleStringProperty(this, "rps", "");
  private final StringProperty burst = new SimpleStringProperty(this, "burst", "");
  private final ObjectProperty<RateLimitKey> key =
      new SimpleObjectProperty<>(this, "key", RateLimitKey.RATE_LIMIT_KEY_ROUTE);
  private final StringProperty keyName = new SimpleStringProperty(this, "keyName", "");
  private final StringProperty ttl = new SimpleStringProperty(this, "ttl", "");

  /**
   * Starts from the limit in force on {@code route} (or an empty form for an unlimited route).
   *
   * @param maxTtl the agent's longest time-to-live, zero when unknown (the gateway still checks)
   */
  public RateLimitForm(Route route, Duration maxTtl) {
    this.routeId = route.getId();
    this.maxTtl = maxTtl;
    if (route.getRateLimit().hasEffective()) {
      RateLimit limit = route.getRateLimit().getEffective();
      requestsPerSecond.set(Figures.limitRate(limit.getRequestsPerSecond()).replace(",", ""));
      burst.set(Integer.toString(limit.getBurst()));
      key.set(limit.getKey() == RateLimitKey.RATE_LIMIT_KEY_UNSPECIFIED
          ? RateLimitKey.RATE_LIMIT_KEY_ROUTE : limit.getKey());
      keyName.set(limit.getKeyName());
    }
  }

  public String routeId() {
    return routeId;
  }

  @Override
  public List<Violation> check() {
    List<Violation> out = new ArrayList<>();
    Double rate = Fields.decimal(requestsPerSecond.get());
    if (requestsPerSecond.get().isBlank()) {
      out.add(new Violation("limit.requests_per_second", "is required"));
    } else if (rate == null) {
      out.add(new Violation("limit.requests_per_second", "must be a number, e.g. 250 or 0.5"));
    } else if (rate <= 0) {
      out.add(new Violation("limit.requests_per_second", "must be greater than zero"));
    } else if (rate > MAX_RATE) {
      out.add(new Violation("limit.requests_per_second",
          "must be at most " + Figures.limitRate(MAX_RATE)));
    }
    Long b = Fields.wholeNumber(burst.get());
    if (burst.get().isBlank()) {
      out.add(new Violation("limit.burst", "is required"));
    } else if (b == null) {
      out.add(new Violation("limit.burst", "must be a whole number"));
    } else if (b < 1 || b > Integer.MAX_VALUE) {
      out.add(new Violation("limit.burst", "must be at least 1"));
    }
    if (named()) {
      if (keyName.get().isBlank()) {
        out.add(new Violation("limit.key_name", "is required when the key is a header or a JWT claim"));
      } else if (!TOKEN.matcher(keyName.get().trim()).matches()) {
        out.add(new Violation("limit.key_name", "must be a header or claim name without spaces"));
      }
    }
    if (!ttl.get().isBlank()) {
      Duration d = Fields.duration(ttl.get());
      if (d == null) {
        out.add(new Violation("ttl", "must be a duration such as 90s, 30m, 2h or 1h30m"));
      } else if (d.isZero()) {
        out.add(new Violation("ttl", "must be greater than zero (leave it empty for no time limit)"));
      } else if (!maxTtl.isZero() && d.compareTo(maxTtl) > 0) {
        out.add(new Violation("ttl", "must be at most " + Fields.text(maxTtl)
            + " (this agent's maximum)"));
      }
    }
    return out;
  }

  private boolean named() {
    return key.get() == RateLimitKey.RATE_LIMIT_KEY_HEADER
        || key.get() == RateLimitKey.RATE_LIMIT_KEY_JWT_CLAIM;
  }

  /** The request this form stands for; only meaningful when {@link #check()} is empty. */
  public SetRateLimitRequest request(ChangeContext context) {
    RateLimit.Builder limit = RateLimit.newBuilder()
        .setRequestsPerSecond(Fields.decimal(requestsPerSecond.get()))
        .setBurst(Fields.wholeNumber(burst.get()).intValue())
        .setKey(key.get());
    if (named()) {
      limit.setKeyName(keyName.get().trim());
    }
    SetRateLimitRequest.Builder request = SetRateLimitRequest.newBuilder()
        .setContext(context)
        .setRouteId(routeId)
        .setLimit(limit);
    Duration d = Fields.duration(ttl.get());
    if (d != null && !d.isZero()) {
      request.setTtl(Fields.proto(d));
    }
    return request.build();
  }

  @Override
  public ValidateChangeRequest validation(ChangeContext context) {
    return ValidateChangeRequest.newBuilder().setSetRateLimit(request(context)).build();
  }

  @Override
  public CompletableFuture<ChangeResult> apply(EditorGateway gateway, ChangeContext context) {
    return gateway.setRateLimit(request(context));
  }

  public StringProperty requestsPerSecondProperty() {
    return requestsPerSecond;
  }

  public StringProperty burstProperty() {
    return burst;
  }

  public ObjectProperty<RateLimitKey> keyProperty() {
    return key;
  }

  public StringProperty keyNameProperty() {
    return keyName;
  }

  /** Empty for a limit that holds until changed; else e.g. "30m". */
  public StringProperty ttlProperty() {
    return ttl;
  }
}
