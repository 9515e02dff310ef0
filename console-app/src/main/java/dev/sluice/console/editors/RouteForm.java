package dev.sluice.console.editors;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.RetryPolicy;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.RouteMatch;
import dev.sluice.admin.v1.UpsertRouteRequest;
import dev.sluice.admin.v1.ValidateChangeRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The route editor's fields as text the operator types, checked as a whole with every problem
 * named by its admin API path ({@code route.match.path}, {@code route.filters[0].maxBytes}). The
 * filters are the route's whole list (removing the last one removes them on the gateway); fields
 * the form does not show (headers, the configured limit) are sent as the route had them. UI thread
 * only.
 */
public final class RouteForm implements Edit {
  static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
  /** Most attempts a route may retry with (the agent's own ceiling). */
  static final int MAX_ATTEMPTS = 10;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SEGMENT = Pattern.compile("[:*]?[^/:*\\s]*");

  private final Route original;
  private final List<String> services;
  private final StringProperty id = new SimpleStringProperty(this, "id", "");
  private final StringProperty host = new SimpleStringProperty(this, "host", "");
  private final StringProperty path = new SimpleStringProperty(this, "path", "");
  private final StringProperty methods = new SimpleStringProperty(this, "methods", "");
  private final StringProperty service = new SimpleStringProperty(this, "service", "");
  private final StringProperty stripPrefix = new SimpleStringProperty(this, "stripPrefix", "");
  private final StringProperty rewritePath = new SimpleStringProperty(this, "rewritePath", "");
  private final StringProperty timeout = new SimpleStringProperty(this, "timeout", "");
  private final StringProperty maxAttempts = new SimpleStringProperty(this, "maxAttempts", "");
  private final ObservableList<FilterForm> filters = FXCollections.observableArrayList();

  /**
   * @param route the route as the gateway has it (an empty route for a new one)
   * @param services the gateway's services, which a route may send traffic to
   */
  public RouteForm(Route route, List<String> services) {
    this.original = route;
    this.services = List.copyOf(services);
    id.set(route.getId());
    host.set(route.getMatch().getHost());
    path.set(route.getMatch().getPath());
    methods.set(String.join(", ", route.getMatch().getMethodsList()));
    service.set(route.getService());
    stripPrefix.set(route.getStripPrefix());
    rewritePath.set(route.getRewritePath());
    if (route.hasResponseTimeout()) {
      timeout.set(Fields.text(Duration.ofSeconds(route.getResponseTimeout().getSeconds(),
          route.getResponseTimeout().getNanos())));
    }
    if (route.getRetry().getMaxAttempts() > 1) {
      maxAttempts.set(Integer.toString(route.getRetry().getMaxAttempts()));
    }
    route.getFiltersList().forEach(f -> filters.add(new FilterForm(f)));
  }

  /**
   * The form for a route the gateway does not have yet: every field empty (any host, any method,
   * no filters), the service already chosen when the gateway has only one.
   */
  public static RouteForm newRoute(List<String> services) {
    RouteForm form = new RouteForm(Route.getDefaultInstance(), services);
    if (services.size() == 1) {
      form.service.set(services.get(0));
    }
    return form;
  }

  /** The route the form was filled from (empty for a new route). */
  public Route original() {
    return original;
  }

  /** True when editing a route the gateway has; its id is then fixed. */
  public boolean existing() {
    return !original.getId().isEmpty();
  }

  public List<String> services() {
    return services;
  }

  @Override
  public List<Violation> check() {
    List<Violation> out = new ArrayList<>();
    if (id.get().isBlank()) {
      out.add(new Violation("route.id", "is required"));
    } else if (!ID.matcher(id.get().trim()).matches()) {
      out.add(new Violation("route.id", "may hold letters, digits, '.', '_' and '-' only"));
    }
    checkPath(out);
    Set<String> seen = new HashSet<>();
    for (String m : Fields.methods(methods.get())) {
      if (!METHODS.contains(m)) {
        out.add(new Violation("route.match.methods", m + " is not an HTTP method"));
      } else if (!seen.add(m)) {
        out.add(new Violation("route.match.methods", m + " is listed twice"));
      }
    }
    if (service.get().isBlank()) {
      out.add(new Violation("route.service", "is required"));
    } else if (!services.isEmpty() && !services.contains(service.get().trim())) {
      out.add(new Violation("route.service", "no service named " + service.get().trim()
          + " (known: " + String.join(", ", services) + ")"));
    }
    String strip = stripPrefix.get().trim();
    if (!strip.isEmpty() && !strip.startsWith("/")) {
      out.add(new Violation("route.strip_prefix", "must start with '/'"));
    } else if (!strip.isEmpty() && !path.get().trim().startsWith(strip)) {
      out.add(new Violation("route.strip_prefix", "must be a prefix of the path"));
    }
    String rewrite = rewritePath.get().trim();
    if (!rewrite.isEmpty() && !rewrite.startsWith("/")) {
      out.add(new Violation("route.rewrite_path", "must start with '/'"));
    }
    if (!timeout.get().isBlank()) {
      Duration d = Fields.duration(timeout.get());
      if (d == null || d.isZero()) {
        out.add(new Violation("route.response_timeout",
            "must be a duration above zero, e.g. 800ms, 5s or 1m"));
      }
    }
    if (!maxAttempts.get().isBlank()) {
      Long n = Fields.wholeNumber(maxAttempts.get());
      if (n == null || n < 1 || n > MAX_ATTEMPTS) {
        out.add(new Violation("route.retry.max_attempts",
            "must be a whole number from 1 (no retry) to " + MAX_ATTEMPTS));
      }
    }
    checkFilters(out);
    return out;
  }

  private void checkFilters(List<Violation> out) {
    Set<String> stages = new HashSet<>();
    for (int i = 0; i < filters.size(); i++) {
      FilterForm f = filters.get(i);
      String at = "route.filters[" + i + "]";
      if (!stages.add(f.stage())) {
        out.add(new Violation(at + ".name", "a route runs at most one " + f.stage() + " filter"));
      }
      out.addAll(f.check(at));
    }
  }

  private void checkPath(List<Violation> out) {
    String p = path.get().trim();
    if (p.isEmpty()) {
      out.add(new Violation("route.match.path", "is required"));
      return;
    }
    if (!p.startsWith("/")) {
      out.add(new Violation("route.match.path", "must start with '/'"));
      return;
    }
    String[] segments = p.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String s = segments[i];
      if (!SEGMENT.matcher(s).matches()) {
        out.add(new Violation("route.match.path", "segment '" + s + "' is not a name, :param or *rest"));
      } else if ((s.equals(":") || s.equals("*"))) {
        out.add(new Violation("route.match.path", "'" + s + "' needs a name, e.g. :id or *rest"));
      } else if (s.startsWith("*") && i < segments.length - 1) {
        out.add(new Violation("route.match.path", "a *wildcard must be the last segment"));
      }
    }
  }

  /** The route as it will be sent; only meaningful when {@link #check()} is empty. */
  public Route route() {
    Route.Builder r = original.toBuilder()
        .clearOrigin()
        .clearDiffersFromFile()
        .setId(id.get().trim())
        .setMatch(RouteMatch.newBuilder()
            .setHost(host.get().trim())
            .setPath(path.get().trim())
            .addAllMethods(Fields.methods(methods.get())))
        .setService(service.get().trim())
        .setStripPrefix(stripPrefix.get().trim())
        .setRewritePath(rewritePath.get().trim());
    Duration d = timeout.get().isBlank() ? null : Fields.duration(timeout.get());
    if (d == null) {
      r.clearResponseTimeout();
    } else {
      r.setResponseTimeout(Fields.proto(d));
    }
    Long attempts = Fields.wholeNumber(maxAttempts.get());
    if (attempts == null || attempts <= 1) {
      r.clearRetry();
    } else {
      r.setRetry(RetryPolicy.newBuilder(original.getRetry()).setMaxAttempts(attempts.intValue()));
    }
    r.clearFilters();
    filters.forEach(f -> r.addFilters(f.spec()));
    if (original.getRateLimit().hasConfigured()) {
      r.setRateLimit(dev.sluice.admin.v1.RateLimitStatus.newBuilder()
          .setConfigured(original.getRateLimit().getConfigured()));
    } else {
      r.clearRateLimit();
    }
    return r.build();
  }

  @Override
  public ValidateChangeRequest validation(ChangeContext context) {
    return ValidateChangeRequest.newBuilder().setUpsertRoute(request(context)).build();
  }

  @Override
  public CompletableFuture<ChangeResult> apply(EditorGateway gateway, ChangeContext context) {
    return gateway.upsertRoute(request(context));
  }

  private UpsertRouteRequest request(ChangeContext context) {
    // An empty list would keep the gateway's current filters; the form's list is the whole truth.
    return UpsertRouteRequest.newBuilder().setContext(context).setRoute(route())
        .setReplaceFilters(filters.isEmpty()).build();
  }

  /** The route's filters in the order they are sent; add and remove change the route's list. */
  public ObservableList<FilterForm> filters() {
    return filters;
  }

  /** Adds a filter of type {@code name} with empty settings. */
  public FilterForm addFilter(String name) {
    FilterForm filter = FilterForm.blank(name);
    filters.add(filter);
    return filter;
  }

  public StringProperty idProperty() {
    return id;
  }

  /** Empty matches the default host. */
  public StringProperty hostProperty() {
    return host;
  }

  public StringProperty pathProperty() {
    return path;
  }

  /** Comma-separated, e.g. "GET, HEAD"; empty means any method. */
  public StringProperty methodsProperty() {
    return methods;
  }

  public StringProperty serviceProperty() {
    return service;
  }

  public StringProperty stripPrefixProperty() {
    return stripPrefix;
  }

  public StringProperty rewritePathProperty() {
    return rewritePath;
  }

  /** Upstream response timeout, e.g. "5s"; empty takes the service's. */
  public StringProperty timeoutProperty() {
    return timeout;
  }

  /** Total attempts including the first; empty or 1 means no retry. */
  public StringProperty maxAttemptsProperty() {
    return maxAttempts;
  }
}
