package dev.sluice.agent.admin.auth;

import java.util.List;

/**
 * What a principal may change: services and route path prefixes. An empty list means no
 * restriction of that kind, so {@link #UNRESTRICTED} permits everything. The control plane asks
 * {@link #permits} / {@link #permitsRoute} before applying a change.
 */
public record Scope(List<String> services, List<String> routePrefixes) {

  public static final Scope UNRESTRICTED = new Scope(List.of(), List.of());

  public Scope {
    services = List.copyOf(services);
    routePrefixes = List.copyOf(routePrefixes);
  }

  /** True when the scope lets its holder change {@code service}. */
  public boolean permits(String service) {
    return services.isEmpty() || services.contains(service);
  }

  /** True when the scope lets its holder change a route whose path pattern is {@code path}. */
  public boolean permitsRoute(String path) {
    if (routePrefixes.isEmpty()) {
      return true;
    }
    for (String prefix : routePrefixes) {
      if (path.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  public boolean isUnrestricted() {
    return services.isEmpty() && routePrefixes.isEmpty();
  }

  /** The scope in words for refusal messages: "services [payments], route prefixes [/pay]". */
  public String describe() {
    if (isUnrestricted()) {
      return "unrestricted";
    }
    StringBuilder text = new StringBuilder();
    if (!services.isEmpty()) {
      text.append("services ").append(services);
    }
    if (!routePrefixes.isEmpty()) {
      text.append(text.length() == 0 ? "" : ", ").append("route prefixes ").append(routePrefixes);
    }
    return text.toString();
  }
}
