package dev.sluice.agent.telemetry;

/**
 * One route's traffic over an interval: completions by status class, gateway error causes, rate
 * limit refusals and the latency distribution. Immutable; intervals add up with {@link #plus}.
 */
public record RouteTraffic(
    long requests,
    StatusCounts statuses,
    ErrorCounts errors,
    long rateLimited,
    LatencyDistribution latency) {

  public static final RouteTraffic NONE = new RouteTraffic(0, StatusCounts.NONE, ErrorCounts.NONE,
      0, LatencyDistribution.EMPTY);

  /** Responses by HTTP status class, whoever produced them. */
  public record StatusCounts(
      long informational, long success, long redirection, long clientError, long serverError) {
    public static final StatusCounts NONE = new StatusCounts(0, 0, 0, 0, 0);

    public StatusCounts plus(StatusCounts o) {
      return new StatusCounts(informational + o.informational, success + o.success,
          redirection + o.redirection, clientError + o.clientError, serverError + o.serverError);
    }
  }

  /** Failures the gateway classified, by {@link ErrorCause}. */
  public record ErrorCounts(
      long upstreamConnect, long upstreamTimeout, long upstreamProtocol, long breakerRejected,
      long noInstance, long rejected) {
    public static final ErrorCounts NONE = new ErrorCounts(0, 0, 0, 0, 0, 0);

    public ErrorCounts plus(ErrorCounts o) {
      return new ErrorCounts(upstreamConnect + o.upstreamConnect,
          upstreamTimeout + o.upstreamTimeout, upstreamProtocol + o.upstreamProtocol,
          breakerRejected + o.breakerRejected, noInstance + o.noInstance, rejected + o.rejected);
    }

    public long total() {
      return upstreamConnect + upstreamTimeout + upstreamProtocol + breakerRejected + noInstance
          + rejected;
    }
  }

  public RouteTraffic plus(RouteTraffic o) {
    return new RouteTraffic(requests + o.requests, statuses.plus(o.statuses), errors.plus(o.errors),
        rateLimited + o.rateLimited, latency.plus(o.latency));
  }

  /** True when nothing at all happened in the interval. */
  public boolean isIdle() {
    return requests == 0 && rateLimited == 0 && errors.total() == 0;
  }
}
