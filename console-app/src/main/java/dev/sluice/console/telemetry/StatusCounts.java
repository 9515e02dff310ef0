package dev.sluice.console.telemetry;

/**
 * Responses by HTTP status class over some interval, whoever produced them (upstream or gateway).
 * Counts add up across routes and agents; shares are computed from the sums, never averaged.
 */
public record StatusCounts(
    long informational, long success, long redirection, long clientError, long serverError) {
  public static final StatusCounts NONE = new StatusCounts(0, 0, 0, 0, 0);

  public static StatusCounts of(dev.sluice.admin.v1.StatusClassCounts s) {
    return new StatusCounts(s.getInformational(), s.getSuccess(), s.getRedirection(),
        s.getClientError(), s.getServerError());
  }

  public StatusCounts plus(StatusCounts o) {
    return new StatusCounts(informational + o.informational, success + o.success,
        redirection + o.redirection, clientError + o.clientError, serverError + o.serverError);
  }

  public long total() {
    return informational + success + redirection + clientError + serverError;
  }

  /** {@code part} as a share (0–100) of all responses counted here; 0 when there are none. */
  public double percent(long part) {
    long total = total();
    return total <= 0 ? 0 : Math.min(100.0, 100.0 * part / total);
  }
}
