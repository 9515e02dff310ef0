package dev.sluice.console.editors;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.DeleteRouteRequest;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.Route;
import dev.sluice.console.confirm.ConfirmationDialog;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.theme.ThemeManager;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import javafx.scene.control.ComboBox;
import javafx.stage.Window;
import org.jspecify.annotations.Nullable;

/**
 * Opens the route editor (for an existing or a new route), the rate-limit editor and the route
 * deletion's confirmation for one gateway. Each edit is based on the
 * config version the console shows when it opens, so a change someone made meanwhile surfaces as
 * a version conflict instead of being overwritten.
 */
public final class Editors {
  private final ThemeManager themes;
  private final Executor ui;
  private final EditorGateway gateway;
  private final LongSupplier configVersion;
  private final Supplier<List<String>> services;
  private final Supplier<Duration> maxTtl;

  /**
   * @param ui the console's hand-off to the FX thread, where gateway answers are handled
   * @param maxTtl the agent's longest override time-to-live; zero when not known
   */
  public Editors(ThemeManager themes, Executor ui, EditorGateway gateway, LongSupplier configVersion,
      Supplier<List<String>> services, Supplier<Duration> maxTtl) {
    this.themes = themes;
    this.ui = ui;
    this.gateway = gateway;
    this.configVersion = configVersion;
    this.services = services;
    this.maxTtl = maxTtl;
  }

  /** Opens the route editor on {@code route}. */
  public EditorDialog editRoute(Route route, @Nullable Window owner, Consumer<ChangeResult> onApplied) {
    return editRoute(new RouteForm(route, services.get()), owner, onApplied);
  }

  /** Opens the route editor empty: Apply creates the route. */
  public EditorDialog newRoute(@Nullable Window owner, Consumer<ChangeResult> onApplied) {
    return editRoute(RouteForm.newRoute(services.get()), owner, onApplied);
  }

  /**
   * Asks to delete {@code route} through the console's one confirmation, which says what happens
   * to its traffic and takes the reason; the deletion is based on the config version shown now.
   */
  public void deleteRoute(Route route, @Nullable Window owner, Consumer<ChangeResult> onApplied) {
    long basedOn = configVersion.getAsLong();
    PendingChange change = new PendingChange("Delete route " + route.getId(), blastRadius(route),
        "Delete route", true, reason -> gateway.deleteRoute(DeleteRouteRequest.newBuilder()
            .setContext(ChangeContext.newBuilder().setExpectedVersion(basedOn).setReason(reason))
            .setRouteId(route.getId())
            .build()));
    new ConfirmationDialog(themes, ui).show(owner, change, onApplied);
  }

  /** "Delete route `users-get`: requests to GET /users/:id will get 404." and how to undo it. */
  static String blastRadius(Route route) {
    var match = route.getMatch();
    String methods = match.getMethodsCount() == 0 ? "" : String.join("/", match.getMethodsList()) + " ";
    String host = match.getHost().isEmpty() ? "" : " on " + match.getHost();
    return "Delete route `" + route.getId() + "`: requests to " + methods + match.getPath() + host
        + " will get 404 (unless another route matches them). Its rate limit and filters go with it;"
        + " Revert in the audit log can bring it back.";
  }

  private EditorDialog editRoute(RouteForm form, @Nullable Window owner,
      Consumer<ChangeResult> onApplied) {
    Route route = form.original();
    EditSession session = new EditSession(form, gateway, ui, configVersion.getAsLong());
    String title = form.existing() ? "Edit route " + route.getId() : "New route";
    EditorDialog dialog = new EditorDialog(themes, session, title, form.existing()
        ? "What the route matches, where it sends traffic and the filters on the way. Headers and"
            + " the rate limit stay as they are (the limit has its own editor)."
        : "What the new route matches, where it sends traffic and the filters on the way. It starts"
            + " without a rate limit; give it one with Edit limit once it exists.");
    var id = dialog.field("Id", "route.id",
        EditorDialog.text("edit-id", form.idProperty(), "e.g. users-get"), form.idProperty());
    id.setDisable(form.existing());
    dialog.field("Host", "route.match.host",
        EditorDialog.text("edit-host", form.hostProperty(), "empty: the default host"),
        form.hostProperty());
    dialog.field("Path", "route.match.path",
        EditorDialog.text("edit-path", form.pathProperty(), "/api/v1/users/:id or /static/*rest"),
        form.pathProperty());
    dialog.field("Methods", "route.match.methods",
        EditorDialog.text("edit-methods", form.methodsProperty(), "GET, HEAD (empty: any)"),
        form.methodsProperty());
    ComboBox<String> service = new ComboBox<>();
    service.setId("edit-service");
    service.setEditable(true);
    service.getItems().setAll(form.services());
    service.setValue(form.serviceProperty().get());
    service.valueProperty().addListener((o, a, b) -> form.serviceProperty().set(b == null ? "" : b));
    dialog.field("Service", "route.service", service, form.serviceProperty());
    dialog.field("Strip prefix", "route.strip_prefix",
        EditorDialog.text("edit-strip", form.stripPrefixProperty(), "e.g. /api"),
        form.stripPrefixProperty());
    dialog.field("Rewrite to", "route.rewrite_path",
        EditorDialog.text("edit-rewrite", form.rewritePathProperty(), "e.g. /v2/users/{id}"),
        form.rewritePathProperty());
    dialog.field("Response timeout", "route.response_timeout",
        EditorDialog.text("edit-timeout", form.timeoutProperty(), "e.g. 5s (empty: the service's)"),
        form.timeoutProperty());
    dialog.field("Attempts", "route.retry.max_attempts",
        EditorDialog.text("edit-attempts", form.maxAttemptsProperty(), "1 = no retry"),
        form.maxAttemptsProperty());
    dialog.section(new FiltersEditor(form, dialog).node());
    dialog.show(owner, onApplied);
    return dialog;
  }

  /** Opens the rate-limit editor on {@code route}'s limit in force. */
  public EditorDialog editLimit(Route route, @Nullable Window owner, Consumer<ChangeResult> onApplied) {
    RateLimitForm form = new RateLimitForm(route, maxTtl.get());
    EditSession session = new EditSession(form, gateway, ui, configVersion.getAsLong());
    Duration max = maxTtl.get();
    EditorDialog dialog = new EditorDialog(themes, session, "Rate limit for " + route.getId(),
        "A token bucket: requests per second refill it, burst is its size. Requests above it get"
            + " 429. With a time-to-live the previous limit comes back by itself"
            + (max.isZero() ? "." : " (at most " + Fields.text(max) + " on this agent)."));
    dialog.field("Requests / second", "limit.requests_per_second",
        EditorDialog.text("edit-rps", form.requestsPerSecondProperty(), "e.g. 250 or 0.5"),
        form.requestsPerSecondProperty());
    dialog.field("Burst", "limit.burst",
        EditorDialog.text("edit-burst", form.burstProperty(), "e.g. 50"), form.burstProperty());
    ComboBox<RateLimitKey> key = new ComboBox<>();
    key.setId("edit-key");
    key.getItems().setAll(RateLimitKey.RATE_LIMIT_KEY_ROUTE, RateLimitKey.RATE_LIMIT_KEY_CLIENT_IP,
        RateLimitKey.RATE_LIMIT_KEY_HEADER, RateLimitKey.RATE_LIMIT_KEY_JWT_CLAIM);
    key.setConverter(new javafx.util.StringConverter<>() {
      @Override
      public String toString(@Nullable RateLimitKey k) {
        return k == null ? "" : switch (k) {
          case RATE_LIMIT_KEY_CLIENT_IP -> "one bucket per client IP";
          case RATE_LIMIT_KEY_HEADER -> "one bucket per header value";
          case RATE_LIMIT_KEY_JWT_CLAIM -> "one bucket per JWT claim value";
          default -> "one bucket for the route";
        };
      }

      @Override
      public RateLimitKey fromString(String s) {
        return RateLimitKey.valueOf(s.toUpperCase(Locale.ROOT));
      }
    });
    key.valueProperty().bindBidirectional(form.keyProperty());
    dialog.field("Key", "limit.key", key, form.keyProperty());
    dialog.field("Header / claim", "limit.key_name",
        EditorDialog.text("edit-key-name", form.keyNameProperty(), "e.g. X-Tenant"),
        form.keyNameProperty());
    dialog.field("Time to live", "ttl",
        EditorDialog.text("edit-ttl", form.ttlProperty(), "e.g. 30m (empty: until changed)"),
        form.ttlProperty());
    dialog.show(owner, onApplied);
    return dialog;
  }
}
