package dev.sluice.agent.filter;

import dev.sluice.agent.config.Violation;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A route's filters, built once from its {@code filters:} block and run in {@link FilterStage} order
 * (never the listed order). The proxy calls {@link #onRequest} on the request head before choosing an
 * upstream, {@link #onResponse} on every response head it writes (upstream or its own), and asks
 * {@link #responseSizeGuard()} about the body. Immutable and shared by all connections; per-request
 * state lives in the caller's {@link FilterExchange}.
 */
public final class FilterChain {

    /** At most one filter per configurable stage, so a chain never holds more than this. */
    public static final int MAX_FILTERS = 8;

    public static final FilterChain EMPTY = new FilterChain(new RequestFilter[0], null);

    /** The outcome of {@link #build}: a chain exactly when there are no violations. */
    public record Result(@Nullable FilterChain chain, List<Violation> violations) {
        public Result {
            violations = List.copyOf(violations);
        }
    }

    private final RequestFilter[] filters;
    private final @Nullable ResponseSizeGuard responseSizeGuard;

    private FilterChain(RequestFilter[] filters, @Nullable ResponseSizeGuard responseSizeGuard) {
        this.filters = filters;
        this.responseSizeGuard = responseSizeGuard;
    }

    /**
     * Builds a chain from a route's {@code filters:} block: each map has a {@code name} and that filter's
     * settings. Reads key files (JWKS) now; nothing is read later except through {@link #reloadKeys()}.
     *
     * @param path the config path of the block, e.g. {@code routes[3].filters}, prefixed to violations
     */
    public static Result build(List<? extends Map<String, ?>> specs, String path, Clock clock) {
        List<Violation> violations = new ArrayList<>();
        Map<FilterStage, RequestFilter> byStage = new EnumMap<>(FilterStage.class);
        Map<FilterStage, String> stageNames = new EnumMap<>(FilterStage.class);
        ResponseSizeGuard guard = null;
        for (int i = 0; i < specs.size(); i++) {
            String itemPath = path + "[" + i + "]";
            SettingsReader in = new SettingsReader(specs.get(i), itemPath, violations);
            String name = in.string("name");
            if (name == null) {
                violations.add(new Violation(itemPath + ".name", "is required: one of " + configurableNames()));
                continue;
            }
            FilterStage stage;
            try {
                stage = FilterStage.of(name);
            } catch (IllegalArgumentException e) {
                violations.add(new Violation(itemPath + ".name", "unknown filter '" + name + "'; expected one of "
                        + configurableNames() + " (rate limits and header rewrites are route fields)"));
                continue;
            }
            String previous = stageNames.putIfAbsent(stage, name);
            if (previous != null) {
                violations.add(new Violation(itemPath + ".name", "'" + name + "' cannot be combined with '" + previous
                        + "' on one route: one " + stage.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " filter per route"));
                continue;
            }
            switch (name) {
                case CorsSettings.NAME -> put(byStage, stage, CorsFilter.create(CorsSettings.fromMap(in), itemPath, violations));
                case JwtAuthSettings.NAME -> put(byStage, stage,
                        JwtAuthFilter.create(JwtAuthSettings.fromMap(in), itemPath, clock, violations));
                case ApiKeyAuthSettings.NAME -> put(byStage, stage,
                        ApiKeyAuthFilter.create(ApiKeyAuthSettings.fromMap(in), itemPath, violations));
                case RequestValidationSettings.NAME -> put(byStage, stage,
                        RequestValidationFilter.create(RequestValidationSettings.fromMap(in), itemPath, violations));
                case ResponseSizeSettings.NAME -> guard = ResponseSizeGuard.create(
                        ResponseSizeSettings.fromMap(in), itemPath, violations);
                default -> throw new IllegalStateException("a stage without a builder: " + name);
            }
        }
        if (!violations.isEmpty()) {
            return new Result(null, violations);
        }
        return new Result(new FilterChain(byStage.values().toArray(RequestFilter[]::new), guard), List.of());
    }

    /** A chain of the given filters in the given order, for tests and programmatic set-ups. */
    public static FilterChain of(List<RequestFilter> filters, @Nullable ResponseSizeGuard guard) {
        if (filters.size() > MAX_FILTERS) {
            throw new IllegalArgumentException("at most " + MAX_FILTERS + " filters");
        }
        return new FilterChain(filters.toArray(RequestFilter[]::new), guard);
    }

    private static void put(Map<FilterStage, RequestFilter> byStage, FilterStage stage, @Nullable RequestFilter filter) {
        if (filter != null) {
            byStage.put(stage, filter);
        }
    }

    private static List<String> configurableNames() {
        List<String> names = new ArrayList<>();
        for (FilterStage stage : FilterStage.values()) {
            names.addAll(stage.filterNames());
        }
        return names;
    }

    /**
     * Runs the request phase in order and stops at the first filter that does not continue. Returns
     * {@link FilterDecision#CONTINUE} (compare with {@code ==}), a {@link Rejection} to answer with an
     * envelope (count it by {@link Rejection#reason()}), or a {@link Reply} to answer as is.
     */
    public FilterDecision onRequest(FilterExchange exchange) {
        for (int i = 0; i < filters.length; i++) {
            exchange.enter(i);
            exchange.reached = i + 1;
            FilterDecision decision = filters[i].onRequest(exchange);
            if (decision != FilterDecision.CONTINUE) {
                return decision;
            }
        }
        return FilterDecision.CONTINUE;
    }

    /**
     * Runs the response phase, in reverse order, for the filters whose request phase ran; call it after
     * {@link FilterExchange#response} and before writing the head, for rejections and replies too.
     */
    public void onResponse(FilterExchange exchange) {
        ResponseContext response = exchange.responseContext();
        for (int i = exchange.reached - 1; i >= 0; i--) {
            exchange.enter(i);
            filters[i].onResponse(response);
        }
    }

    /** The route's response-size guard, or null when it has none. */
    public @Nullable ResponseSizeGuard responseSizeGuard() {
        return responseSizeGuard;
    }

    /** The request filters in the order they run. */
    public List<RequestFilter> filters() {
        return List.of(filters);
    }

    public boolean isEmpty() {
        return filters.length == 0 && responseSizeGuard == null;
    }

    /**
     * Re-reads the JWKS files of this chain's JWT filters, swapping each key set only if it is fully
     * usable. Does file I/O: call it off the event loop (e.g. on config reload or a timer).
     */
    public List<Violation> reloadKeys() {
        List<Violation> violations = new ArrayList<>();
        for (RequestFilter filter : filters) {
            if (filter instanceof JwtAuthFilter jwt && jwt.settings().jwksFile() != null) {
                violations.addAll(jwt.reloadKeys());
            }
        }
        return violations;
    }

    @Override
    public String toString() {
        return "FilterChain" + Arrays.toString(Arrays.stream(filters).map(RequestFilter::name).toArray());
    }
}
