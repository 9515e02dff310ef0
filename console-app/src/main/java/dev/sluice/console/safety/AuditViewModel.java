package dev.sluice.console.safety;

import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditOutcome;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.RevertPlan;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.editors.ChangeDiff;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

/**
 * The audit log of one gateway, newest first, loaded a page at a time (older pages on demand) and
 * filtered over what is loaded, and Revert as a {@link PendingChange} that says what the revert
 * restores and, when later changes to the same target would be undone too, lists them so the
 * operator decides knowingly. Answers are handled on the executor given (the FX thread).
 */
public final class AuditViewModel {
  /** Entries per page the console asks for. */
  static final int PAGE = 500;

  private final AuditGateway gateway;
  private final Executor ui;
  private final LongSupplier configVersion;
  private final int pageSize;
  private final ObservableList<AuditEntry> entries = FXCollections.observableArrayList();
  private final FilteredList<AuditEntry> shown = new FilteredList<>(entries);
  private final Set<String> loadedIds = new HashSet<>();
  private final StringProperty message = new SimpleStringProperty(this, "message", "");
  private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
  private final BooleanProperty moreAvailable = new SimpleBooleanProperty(this, "moreAvailable");
  private final BooleanProperty loading = new SimpleBooleanProperty(this, "loading");
  private final StringProperty loaded = new SimpleStringProperty(this, "loaded", "");
  private String nextPageToken = "";
  // A reload starts a new generation; a page asked for by an older one is dropped.
  private int generation;

  public AuditViewModel(AuditGateway gateway, Executor ui, LongSupplier configVersion) {
    this(gateway, ui, configVersion, PAGE);
  }

  /** @param pageSize entries per page (1 to 1000, the agent's limit) */
  public AuditViewModel(AuditGateway gateway, Executor ui, LongSupplier configVersion, int pageSize) {
    if (pageSize < 1 || pageSize > 1000) {
      throw new IllegalArgumentException("page size must be 1 to 1000, was " + pageSize);
    }
    this.gateway = gateway;
    this.ui = ui;
    this.configVersion = configVersion;
    this.pageSize = pageSize;
    filter.addListener((o, a, b) -> {
      shown.setPredicate(matching(b));
      describeLoaded();
    });
  }

  /** Every loaded entry, newest first. */
  public ObservableList<AuditEntry> entries() {
    return entries;
  }

  /** The loaded entries that match {@link #filterProperty()}. */
  public ObservableList<AuditEntry> shown() {
    return shown;
  }

  /** Words that a shown entry's id, principal, change, target, outcome or reason must contain. */
  public StringProperty filterProperty() {
    return filter;
  }

  /** Whether the agent holds entries older than the loaded ones. */
  public ReadOnlyBooleanProperty moreAvailableProperty() {
    return moreAvailable;
  }

  /** Whether a page is on its way. */
  public ReadOnlyBooleanProperty loadingProperty() {
    return loading;
  }

  /**
   * How much is loaded, in words: "1,000 loaded · more available", "all 1,234 loaded", and with a
   * filter "showing 12 of 1,000 loaded · more available".
   */
  public StringProperty loadedProperty() {
    return loaded;
  }

  /** What the last load or revert plan said, in words. */
  public StringProperty messageProperty() {
    return message;
  }

  /** Reads the newest page in the background, replacing what was loaded. */
  public void load() {
    int asked = ++generation;
    fetch(asked, "", true);
  }

  /** Reads the next older page in the background and adds it below; nothing when none is left. */
  public void loadOlder() {
    if (loading.get() || !moreAvailable.get()) {
      return;
    }
    fetch(generation, nextPageToken, false);
  }

  private void fetch(int asked, String token, boolean replace) {
    loading.set(true);
    gateway.page(pageSize, token).whenCompleteAsync((page, failure) -> {
      if (asked != generation) {
        return;
      }
      loading.set(false);
      if (failure != null) {
        message.set("Could not read the audit log: " + rootMessage(failure));
        return;
      }
      if (replace) {
        loadedIds.clear();
        entries.clear();
      }
      List<AuditEntry> fresh = new ArrayList<>(page.entries().size());
      for (AuditEntry e : page.entries()) {
        if (loadedIds.add(e.getId())) {
          fresh.add(e);
        }
      }
      entries.addAll(fresh);
      nextPageToken = page.nextPageToken();
      moreAvailable.set(!nextPageToken.isEmpty());
      message.set("");
      describeLoaded();
    }, ui);
  }

  private void describeLoaded() {
    String count = String.format(Locale.ROOT, "%,d", entries.size());
    String what = moreAvailable.get() ? count + " loaded · more available"
        : entries.isEmpty() ? "no entries" : entries.size() == 1 ? "the only entry loaded"
        : "all " + count + " loaded";
    loaded.set(filter.get().isBlank() ? what
        : String.format(Locale.ROOT, "showing %,d of ", shown.size()) + what);
  }

  private static Predicate<AuditEntry> matching(String filter) {
    String[] words = filter.trim().toLowerCase(Locale.ROOT).split("\\s+");
    return e -> {
      String text = (e.getId() + " " + e.getPrincipal() + " " + e.getRpc() + " " + e.getTarget()
          + " " + e.getOutcome().name() + " " + e.getReason()).toLowerCase(Locale.ROOT);
      for (String w : words) {
        if (!text.contains(w)) {
          return false;
        }
      }
      return true;
    };
  }

  /** Only entries that changed something can be reverted. */
  public static boolean revertible(AuditEntry e) {
    return e.getOutcome() == AuditOutcome.AUDIT_OUTCOME_APPLIED
        || e.getOutcome() == AuditOutcome.AUDIT_OUTCOME_EXPIRED;
  }

  /** The entry's change field by field (before → after). */
  public static List<ChangeDiff.Line> diff(AuditEntry e) {
    return ChangeDiff.of(e.getBeforeJson(), e.getAfterJson());
  }

  /**
   * Asks the gateway what reverting {@code entry} would do and turns the plan into a change to
   * confirm; completes (on the UI executor) with nothing when the entry cannot be reverted, after
   * saying why in {@link #messageProperty()}.
   */
  public CompletableFuture<java.util.Optional<PendingChange>> revert(AuditEntry entry) {
    long basedOn = configVersion.getAsLong();
    return gateway.planRevert(entry.getId()).handleAsync((plan, failure) -> {
      if (failure != null) {
        message.set("Could not plan the revert of " + entry.getId() + ": " + rootMessage(failure));
        return java.util.Optional.<PendingChange>empty();
      }
      if (!plan.getRevertible()) {
        message.set(entry.getId() + " cannot be reverted: " + plan.getNotRevertibleReason());
        return java.util.Optional.<PendingChange>empty();
      }
      return java.util.Optional.of(change(plan, basedOn));
    }, ui);
  }

  PendingChange change(RevertPlan plan, long basedOn) {
    AuditEntry e = plan.getEntry();
    boolean later = plan.getLaterChangesCount() > 0;
    StringBuilder radius = new StringBuilder("Revert " + e.getId() + " (" + e.getRpc() + " by "
        + e.getPrincipal() + ": " + e.getReason() + "): " + e.getTarget()
        + " goes back to its state before it");
    List<ChangeDiff.Line> lines = ChangeDiff.of(plan.getCurrentJson(), plan.getRestoresJson());
    radius.append(lines.isEmpty() ? " (which is how it is now)." : ": " + String.join("; ",
        lines.stream().map(ChangeDiff.Line::toString).toList()) + ".");
    if (later) {
      radius.append(" This also undoes ").append(plan.getLaterChangesCount())
          .append(plan.getLaterChangesCount() == 1 ? " later change: " : " later changes: ")
          .append(String.join(", ", plan.getLaterChangesList().stream()
              .map(l -> l.getId() + " (" + l.getRpc() + " by " + l.getPrincipal() + ": "
                  + l.getReason() + ")").toList()))
          .append('.');
    }
    return new PendingChange(
        "Revert " + e.getId(),
        radius.toString(),
        later ? "Revert, undoing later changes too" : "Revert",
        true,
        reason -> gateway.revert(e.getId(), later, ChangeContext.newBuilder()
            .setExpectedVersion(basedOn).setReason(reason).build()));
  }

  private static String rootMessage(Throwable t) {
    Throwable cause = t.getCause() != null ? t.getCause() : t;
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
