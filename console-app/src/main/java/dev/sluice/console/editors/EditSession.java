package dev.sluice.console.editors;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ValidateChangeResponse;
import dev.sluice.admin.v1.VersionConflict;
import io.grpc.Status;
import io.grpc.protobuf.StatusProto;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jspecify.annotations.Nullable;

/**
 * One edit from form to applied change: the form's own check (bad input sends nothing), the
 * gateway's dry run with its before/after diff, the apply with the operator's reason, and the
 * version conflict with its way out ({@link #reloadAndReapply()}). Gateway answers are handled on
 * the executor given to the constructor (the console's hand-off to the FX thread).
 */
public final class EditSession {
  /** Where the edit stands. */
  public enum Phase {
    /** The form changed since the last dry run (or there was none yet). */
    EDITING,
    /** The form or the gateway found problems; they are in {@link #violations()}. */
    INVALID,
    CHECKING,
    /** The dry run passed: {@link #diff()} shows what will change; apply is possible. */
    REVIEWED,
    APPLYING,
    APPLIED,
    /** The gateway's config moved on since the edit was based on it. */
    CONFLICT,
    /** Refused for another reason (permission, unreachable); see {@link #messageProperty()}. */
    FAILED
  }

  private final Edit edit;
  private final EditorGateway gateway;
  private final Executor ui;
  private final LongProperty basedOn = new SimpleLongProperty(this, "basedOn");
  private final StringProperty reason = new SimpleStringProperty(this, "reason", "");
  private final ReadOnlyObjectWrapper<Phase> phase =
      new ReadOnlyObjectWrapper<>(this, "phase", Phase.EDITING);
  private final ObservableList<Violation> violations = FXCollections.observableArrayList();
  private final ObservableList<ChangeDiff.Line> diff = FXCollections.observableArrayList();
  private final StringProperty message = new SimpleStringProperty(this, "message", "");
  private final ObjectProperty<@Nullable ChangeResult> result = new SimpleObjectProperty<>(this, "result");
  private long currentVersion;
  private boolean applyAfterCheck;

  /**
   * @param basedOn the config version the form was filled from; the gateway refuses the change as
   *     a conflict if its config moved on meanwhile
   */
  public EditSession(Edit edit, EditorGateway gateway, Executor ui, long basedOn) {
    this.edit = edit;
    this.gateway = gateway;
    this.ui = ui;
    this.basedOn.set(basedOn);
    reason.addListener((o, a, b) -> edited());
  }

  /** Call when a field changed: the last dry run no longer stands for the form. */
  public void edited() {
    Phase p = phase.get();
    if (p == Phase.REVIEWED || p == Phase.INVALID || p == Phase.FAILED) {
      phase.set(Phase.EDITING);
      diff.clear();
    }
  }

  /** The form's own problems and a missing reason; nothing is sent while there are any. */
  public List<Violation> localViolations() {
    List<Violation> out = new ArrayList<>(edit.check());
    if (reason.get().isBlank()) {
      out.add(new Violation("context.reason", "is required: say why, it goes to the audit log"));
    }
    return out;
  }

  /** Runs the gateway's dry run, unless the form has problems (then nothing is sent). */
  public void check() {
    List<Violation> local = localViolations();
    if (!local.isEmpty()) {
      violations.setAll(local);
      phase.set(Phase.INVALID);
      return;
    }
    violations.clear();
    diff.clear();
    message.set("Asking the gateway…");
    phase.set(Phase.CHECKING);
    gateway.validate(edit.validation(context()))
        .whenCompleteAsync((response, failure) -> {
          if (failure != null) {
            failed(failure);
          } else {
            checked(response);
          }
        }, ui);
  }

  private void checked(ValidateChangeResponse response) {
    if (response.hasConflict()) {
      conflict(response.getConflict());
    } else if (!response.getValid()) {
      List<Violation> list = new ArrayList<>();
      for (var v : response.getViolationsList()) {
        list.add(new Violation(v.getField(), v.getDescription()));
      }
      if (response.hasFloor()) {
        list.add(new Violation(response.getFloor().getService(), "would go below its floor"));
      }
      violations.setAll(list);
      message.set("The gateway refuses this change.");
      phase.set(Phase.INVALID);
    } else {
      List<ChangeDiff.Line> lines = ChangeDiff.of(response.getBeforeJson(), response.getAfterJson());
      diff.setAll(lines);
      boolean creates = !lines.isEmpty() && lines.stream().allMatch(l -> l.before().equals(ChangeDiff.NEW));
      message.set(lines.isEmpty() ? "The gateway accepts this, but it changes nothing."
          : "The gateway accepts this " + (creates ? "new route" : "change") + " (" + lines.size()
              + " field" + (lines.size() == 1 ? "" : "s") + ").");
      phase.set(Phase.REVIEWED);
      if (applyAfterCheck) {
        applyAfterCheck = false;
        apply();
      }
    }
  }

  /** Applies the reviewed change; does nothing unless the dry run passed for the current form. */
  public void apply() {
    if (phase.get() != Phase.REVIEWED || !localViolations().isEmpty()) {
      return;
    }
    phase.set(Phase.APPLYING);
    message.set("Applying…");
    edit.apply(gateway, context())
        .whenCompleteAsync((applied, failure) -> {
          if (failure != null) {
            failed(failure);
          } else {
            result.set(applied);
            message.set("Applied: config v" + applied.getVersion() + " (audit "
                + applied.getAuditEntryId() + ")"
                + (applied.getWarningsCount() == 0 ? "" : " · " + String.join("; ", applied.getWarningsList())));
            phase.set(Phase.APPLIED);
          }
        }, ui);
  }

  /**
   * After a conflict: bases the same edit on the gateway's current version, runs the dry run again
   * (so the diff shows what it does to the config as it now is) and applies it if it passes.
   */
  public void reloadAndReapply() {
    if (phase.get() != Phase.CONFLICT) {
      return;
    }
    basedOn.set(currentVersion);
    applyAfterCheck = true;
    check();
  }

  private void conflict(VersionConflict conflict) {
    currentVersion = conflict.getCurrentVersion();
    applyAfterCheck = false;
    message.set("The gateway's config changed meanwhile: this edit was based on v"
        + conflict.getExpectedVersion() + ", the gateway is at v" + conflict.getCurrentVersion() + ".");
    phase.set(Phase.CONFLICT);
  }

  private void failed(Throwable failure) {
    applyAfterCheck = false;
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    com.google.rpc.Status detail = StatusProto.fromThrowable(cause);
    if (detail != null) {
      for (var any : detail.getDetailsList()) {
        try {
          if (any.is(VersionConflict.class)) {
            conflict(any.unpack(VersionConflict.class));
            return;
          }
          if (any.is(BadRequest.class)) {
            List<Violation> list = new ArrayList<>();
            for (var v : any.unpack(BadRequest.class).getFieldViolationsList()) {
              list.add(new Violation(v.getField(), v.getDescription()));
            }
            violations.setAll(list);
          }
        } catch (InvalidProtocolBufferException e) {
          // A detail this console cannot read: the status line below still says what happened.
        }
      }
    }
    Status status = Status.fromThrowable(cause);
    String description = status.getDescription();
    message.set(switch (status.getCode()) {
      case PERMISSION_DENIED -> "Not allowed: " + description;
      case UNAVAILABLE, DEADLINE_EXCEEDED -> "The gateway did not answer (" + status.getCode()
          + "); the change may or may not have been applied. Check the events.";
      case UNKNOWN -> String.valueOf(cause.getMessage());
      default -> "Refused: " + status.getCode() + (description == null ? "" : ": " + description);
    });
    phase.set(violations.isEmpty() ? Phase.FAILED : Phase.INVALID);
  }

  private ChangeContext context() {
    return ChangeContext.newBuilder()
        .setExpectedVersion(basedOn.get())
        .setReason(reason.get().trim())
        .build();
  }

  public Edit edit() {
    return edit;
  }

  public ReadOnlyObjectProperty<Phase> phaseProperty() {
    return phase.getReadOnlyProperty();
  }

  public LongProperty basedOnProperty() {
    return basedOn;
  }

  public StringProperty reasonProperty() {
    return reason;
  }

  /** The problems of the last check (the form's own, or the gateway's). */
  public ObservableList<Violation> violations() {
    return violations;
  }

  /** What the reviewed change does, field by field. */
  public ObservableList<ChangeDiff.Line> diff() {
    return diff;
  }

  public StringProperty messageProperty() {
    return message;
  }

  public ObjectProperty<@Nullable ChangeResult> resultProperty() {
    return result;
  }
}
