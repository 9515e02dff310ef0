package dev.sluice.agent.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The meters of one route, created up front so that recording a request on the event loop is an
 * array lookup and an increment. Methods outside the standard set are counted as {@code OTHER}.
 */
public final class RouteMetrics {

    private static final String[] METHODS = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "OTHER"};
    private static final int HEAD = 1;
    private static final int OTHER = METHODS.length - 1;
    /** Index 0 is a request that ended without a response (the client went away or the stream broke). */
    private static final String[] STATUS_CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30)
    };

    private final String route;
    private final Counter[][] requests = new Counter[METHODS.length][];
    private final Timer[] latency = new Timer[METHODS.length];
    private final AtomicInteger inFlight;

    /**
     * Registers (or finds, when a reload rebuilds the route) this route's meters. {@code methods}
     * empty means the route accepts any method. {@code inFlight} is shared by every build of the
     * route so requests that began on an older snapshot still count down the same gauge.
     */
    RouteMetrics(MeterRegistry registry, String route, Collection<String> methods, AtomicInteger inFlight) {
        this.route = route;
        this.inFlight = inFlight;
        for (int m = 0; m < METHODS.length; m++) {
            // The router answers HEAD wherever GET is allowed, so a GET route also counts HEAD.
            boolean listed = methods.contains(METHODS[m]) || (m == HEAD && methods.contains("GET"));
            if (!methods.isEmpty() && !listed && m != OTHER) {
                continue;
            }
            requests[m] = new Counter[STATUS_CLASSES.length];
            for (int s = 0; s < STATUS_CLASSES.length; s++) {
                requests[m][s] = Counter.builder("sluice.requests")
                        .description("Requests handled, by route, method and status class")
                        .tags("route", route, "method", METHODS[m], "status", STATUS_CLASSES[s])
                        .register(registry);
            }
            latency[m] = Timer.builder("sluice.request.duration")
                    .description("Time from the request head to the last byte of the response")
                    .tags("route", route, "method", METHODS[m])
                    .serviceLevelObjectives(LATENCY_BUCKETS)
                    .register(registry);
        }
    }

    public String route() {
        return route;
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    /** Records a finished request; {@code status} 0 means no response was sent. */
    public void finished(HttpMethod method, int status, long durationNanos) {
        inFlight.decrementAndGet();
        int m = methodIndex(method);
        Counter[] byStatus = requests[m];
        if (byStatus == null) {
            m = OTHER;
            byStatus = requests[OTHER];
        }
        int s = status / 100;
        byStatus[s >= 1 && s <= 5 ? s : 0].increment();
        latency[m].record(durationNanos, TimeUnit.NANOSECONDS);
    }

    public int inFlight() {
        return inFlight.get();
    }

    private static int methodIndex(HttpMethod method) {
        // HttpMethod.valueOf returns these constants for standard names, so identity is enough.
        if (method == HttpMethod.GET) {
            return 0;
        } else if (method == HttpMethod.HEAD) {
            return 1;
        } else if (method == HttpMethod.POST) {
            return 2;
        } else if (method == HttpMethod.PUT) {
            return 3;
        } else if (method == HttpMethod.DELETE) {
            return 4;
        } else if (method == HttpMethod.PATCH) {
            return 5;
        } else if (method == HttpMethod.OPTIONS) {
            return 6;
        }
        return OTHER;
    }
}
