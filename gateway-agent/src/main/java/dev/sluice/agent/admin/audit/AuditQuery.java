package dev.sluice.agent.admin.audit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A page request over the audit log, newest first. Empty strings and nulls mean "no filter";
 * check {@link #violations()} before running it.
 *
 * @param pageSize entries per page; 0 means {@value #DEFAULT_PAGE_SIZE}, at most
 *     {@value #MAX_PAGE_SIZE}
 * @param pageToken the previous page's {@link AuditPage#nextPageToken()}, or empty for the newest
 * @param from inclusive lower bound on the entry time
 * @param to exclusive upper bound on the entry time
 */
public record AuditQuery(
    int pageSize,
    String pageToken,
    String targetPrefix,
    String principal,
    @Nullable Instant from,
    @Nullable Instant to) {

  /** One problem with a query field, named as in the API request. */
  public record Violation(String field, String message) {}

  public static final int DEFAULT_PAGE_SIZE = 100;
  public static final int MAX_PAGE_SIZE = 1000;

  /** The newest page of everything. */
  public static AuditQuery newest(int pageSize) {
    return new AuditQuery(pageSize, "", "", "", null, null);
  }

  public AuditQuery withPageToken(String token) {
    return new AuditQuery(pageSize, token, targetPrefix, principal, from, to);
  }

  /** Every problem with the query as (field, message) pairs; empty when it can run. */
  public List<Violation> violations() {
    List<Violation> violations = new ArrayList<>();
    if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
      violations.add(new Violation("page_size", "must be between 0 and " + MAX_PAGE_SIZE));
    }
    if (!pageToken.isEmpty() && AuditEntry.numberOf(pageToken) < 0) {
      violations.add(new Violation("page_token", "is not a token this agent issued"));
    }
    if (from != null && to != null && to.isBefore(from)) {
      violations.add(new Violation("to", "must not be before from"));
    }
    return violations;
  }

  int effectivePageSize() {
    return pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
  }

  boolean matches(AuditEntry entry) {
    return entry.target().startsWith(targetPrefix)
        && (principal.isEmpty() || principal.equals(entry.principal()))
        && (from == null || !entry.time().isBefore(from))
        && (to == null || entry.time().isBefore(to));
  }
}
