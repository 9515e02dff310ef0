package dev.sluice.agent.admin.audit;

import java.util.List;

/** One page of audit entries, newest first; {@code nextPageToken} is empty on the last page. */
public record AuditPage(List<AuditEntry> entries, String nextPageToken) {
  public AuditPage {
    entries = List.copyOf(entries);
  }
}
