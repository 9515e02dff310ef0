package dev.sluice.agent.admin;

import dev.sluice.agent.admin.audit.AuditEntry;
import dev.sluice.agent.admin.audit.AuditLog;
import dev.sluice.agent.admin.audit.AuditOutcome;
import dev.sluice.agent.admin.audit.AuditPage;
import dev.sluice.agent.admin.audit.AuditQuery;
import dev.sluice.agent.control.GatewayControl;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What reverting an audit entry would do: the change that restores the entry's before-state, the
 * target as it is now, and the later applied changes to the same target that the revert would undo
 * as well (a revert across them must be asked for explicitly).
 */
public final class RevertPlanner {

  private final AuditLog audit;
  private final GatewayControl control;
  private final Clock clock;

  public RevertPlanner(AuditLog audit, GatewayControl control, Clock clock) {
    this.audit = audit;
    this.control = control;
    this.clock = clock;
  }

  /**
   * The plan for one entry.
   *
   * @param reverse the change to apply; null when the entry cannot be reverted ({@code notRevertible} says why)
   * @param laterChanges applied entries on the same target after this one, oldest first
   */
  public record Plan(AuditEntry entry, TargetJson.@Nullable Reverse reverse, String notRevertible,
                     String currentJson, List<AuditEntry> laterChanges) {
    public Plan {
      laterChanges = List.copyOf(laterChanges);
    }

    public boolean revertible() {
      return reverse instanceof TargetJson.Reverse.Apply;
    }
  }

  /** The plan for the entry with this id; empty when there is no such entry. */
  public Optional<Plan> plan(String entryId) throws IOException {
    Optional<AuditEntry> found = audit.get(entryId);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    AuditEntry entry = found.get();
    String current = TargetJson.of(control.state(), entry.target());
    if (entry.outcome() != AuditOutcome.APPLIED) {
      return Optional.of(new Plan(entry, null, "entry " + entry.id() + " is "
          + entry.outcome().name().toLowerCase(java.util.Locale.ROOT) + ": it changed nothing to revert",
          current, List.of()));
    }
    TargetJson.Reverse reverse = TargetJson.reverse(entry.rpc(), entry.target(),
        entry.beforeJson() == null ? "" : entry.beforeJson(), clock.instant());
    String why = reverse instanceof TargetJson.Reverse.Impossible impossible ? impossible.reason() : "";
    return Optional.of(new Plan(entry, reverse, why, current, laterChanges(entry)));
  }

  private List<AuditEntry> laterChanges(AuditEntry entry) throws IOException {
    long number = AuditEntry.numberOf(entry.id());
    List<AuditEntry> later = new ArrayList<>();
    AuditQuery query = new AuditQuery(AuditQuery.MAX_PAGE_SIZE, "", entry.target(), "", null, null);
    while (true) {
      AuditPage page = audit.list(query);
      for (AuditEntry candidate : page.entries()) {
        if (AuditEntry.numberOf(candidate.id()) > number && candidate.target().equals(entry.target())
            && candidate.outcome() == AuditOutcome.APPLIED) {
          later.add(0, candidate);
        }
      }
      boolean reachedEntry = page.entries().stream()
          .anyMatch(e -> AuditEntry.numberOf(e.id()) <= number);
      if (page.nextPageToken().isEmpty() || reachedEntry) {
        return later;
      }
      query = query.withPageToken(page.nextPageToken());
    }
  }
}
