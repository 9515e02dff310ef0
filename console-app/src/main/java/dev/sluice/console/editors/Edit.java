package dev.sluice.console.editors;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ValidateChangeRequest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A form's change, as an {@link EditSession} drives it: checked locally first, then dry-run and
 * applied by the gateway with the context (version, reason) the session gives it.
 */
public interface Edit {
  /** Every problem the form can see without the gateway; the change is only sent when empty. */
  List<Violation> check();

  /** The dry run of the change; call only when {@link #check()} is empty. */
  ValidateChangeRequest validation(ChangeContext context);

  /** Applies the change; call only when {@link #check()} is empty. */
  CompletableFuture<ChangeResult> apply(EditorGateway gateway, ChangeContext context);
}
