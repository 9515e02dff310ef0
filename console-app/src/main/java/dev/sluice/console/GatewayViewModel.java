package dev.sluice.console;

import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.console.breakers.BreakersViewModel;
import dev.sluice.console.connection.ConnectionState;
import dev.sluice.console.connection.GatewayControl;
import dev.sluice.console.connection.UiBatch;
import dev.sluice.console.events.EventsViewModel;
import dev.sluice.console.registry.RegistryViewModel;
import dev.sluice.console.routes.RoutesViewModel;
import dev.sluice.console.telemetry.Figures;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.LongProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleLongProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

/**
 * Everything the console shows about one attached gateway: identity, connection state and age of
 * its data, and the route, breaker, registry and event view models, all fed from {@link UiBatch}es.
 * UI thread only.
 */
public final class GatewayViewModel implements dev.sluice.console.fleet.FleetMember {
  /** Data older than this is shown greyed as stale. */
  static final Duration STALE_AFTER = Duration.ofSeconds(3);

  private final String address;
  private final Clock clock;
  private final StringProperty name = new SimpleStringProperty(this, "name", "");
  private final StringProperty identity = new SimpleStringProperty(this, "identity", "");
  private final ObjectProperty<ConnectionState> state =
      new SimpleObjectProperty<>(this, "state", ConnectionState.connecting());
  private final LongProperty configVersion = new SimpleLongProperty(this, "configVersion", 0);
  private final StringProperty statusText = new SimpleStringProperty(this, "statusText", "");
  private final BooleanProperty stale = new SimpleBooleanProperty(this, "stale", false);
  private final LongProperty framesApplied = new SimpleLongProperty(this, "framesApplied", 0);
  private final BooleanProperty mayChange = new SimpleBooleanProperty(this, "mayChange", false);
  private final BooleanProperty viewOnly = new SimpleBooleanProperty(this, "viewOnly", false);
  private final StringProperty access = new SimpleStringProperty(this, "access", "");
  private final StringProperty age = new SimpleStringProperty(this, "age", "");
  private final StringProperty roleWord = new SimpleStringProperty(this, "roleWord", "");
  private dev.sluice.admin.v1.Role role = dev.sluice.admin.v1.Role.ROLE_UNSPECIFIED;
  private String sessionText = "";
  private dev.sluice.admin.v1.Scope scope = dev.sluice.admin.v1.Scope.getDefaultInstance();
  private final RoutesViewModel routes = new RoutesViewModel();
  private final BreakersViewModel breakers;
  private final RegistryViewModel registry;
  private final EventsViewModel events = new EventsViewModel();
  private final dev.sluice.console.history.HistoryModel history =
      new dev.sluice.console.history.HistoryModel();
  private Instant lastData = Instant.EPOCH;
  private String cluster = "";
  private Duration maxOverrideTtl = Duration.ZERO;

  public GatewayViewModel(String address, GatewayControl control, Clock clock) {
    this.address = address;
    this.clock = clock;
    this.breakers = new BreakersViewModel(control, configVersion::get);
    this.registry = new RegistryViewModel(control, configVersion::get);
    name.set(address);
    viewOnly.addListener((o, a, b) -> updateAccess(null));
    tick();
  }

  /**
   * Works out a batch's frames off the UI thread (route figures, merged segments, history), so
   * {@link #apply} only shows ready results; the console's coalescer calls it on its own thread.
   */
  public UiBatch prepare(UiBatch batch) {
    if (batch.frames().isEmpty()) {
      return batch;
    }
    List<RoutesViewModel.PreparedFrame> ready = new ArrayList<>(batch.frames().size());
    for (TelemetryFrame frame : batch.frames()) {
      ready.add(routes.prepare(frame));
      history.recordFrame(frame);
    }
    return batch.withPrepared(new Prepared(ready));
  }

  /** The frames of a batch as {@link #prepare} worked them out. */
  private record Prepared(List<RoutesViewModel.PreparedFrame> frames) {}

  /** Applies everything that arrived since the last batch. */
  public void apply(UiBatch batch) {
    Instant now = clock.instant();
    if (batch.attached() != null) {
      var agent = batch.attached().agent();
      var session = batch.attached().session();
      name.set(agent.getAgentId());
      cluster = agent.getCluster();
      maxOverrideTtl = Duration.ofSeconds(agent.getMaxOverrideTtl().getSeconds());
      history.configure(Duration.ofSeconds(agent.getHistoryResolution().getSeconds()),
          Duration.ofSeconds(agent.getHistoryRetention().getSeconds()));
      identity.set(agent.getAgentId() + " · cluster " + agent.getCluster() + " · " + address
          + " · agent " + agent.getVersion());
      updateAccess(session);
    }
    Snapshot snapshot = batch.snapshot();
    if (snapshot != null) {
      configVersion.set(snapshot.getConfigVersion());
      routes.applySnapshot(snapshot);
      breakers.apply(snapshot.getBreakersList(), now);
      breakers.applySettings(snapshot.getServicesList());
      registry.applySnapshot(snapshot);
      history.applySnapshot(snapshot);
      lastData = now;
    }
    List<TelemetryFrame> frames = batch.frames();
    for (int i = 0; i < frames.size(); i++) {
      TelemetryFrame frame = frames.get(i);
      if (batch.prepared() instanceof Prepared ready) {
        routes.publish(ready.frames().get(i));
      } else {
        routes.applyFrame(frame);
        history.recordFrame(frame);
      }
      breakers.apply(frame.getBreakersList(), now);
      registry.applyFrame(frame);
      lastData = now;
    }
    if (!frames.isEmpty()) {
      history.framesRecorded();
    }
    if (!batch.frames().isEmpty()) {
      framesApplied.set(framesApplied.get() + batch.frames().size());
    }
    events.apply(batch.events());
    history.applyEvents(batch.events());
    if (!batch.events().isEmpty()) {
      lastData = now;
    }
    if (batch.state() != null) {
      state.set(batch.state());
    }
    tick();
  }

  /**
   * What this connection may do, from the agent's GetSession answer (role, scope, permissions) and
   * the profile's view-only switch; mutation controls follow {@link #mayChangeProperty()}.
   */
  private void updateAccess(dev.sluice.admin.v1.@org.jspecify.annotations.Nullable Session session) {
    if (session != null) {
      role = session.getRole();
      scope = session.getScope();
      sessionText = describe(session);
    }
    mayChange.set(role == dev.sluice.admin.v1.Role.ROLE_OPERATOR && !viewOnly.get());
    roleWord.set(viewOnly.get() ? "view only" : switch (role) {
      case ROLE_OPERATOR -> "operator";
      case ROLE_VIEWER -> "viewer";
      default -> "";
    });
    access.set(viewOnly.get() ? sessionText + " · view-only profile: no changes sent" : sessionText);
  }

  /**
   * True when this session may change {@code service} (breaker, drains): an operator, not view-only,
   * whose scope names no services or names this one, as the agent's own check does.
   */
  public boolean mayChange(String service) {
    return mayChange.get()
        && (scope.getServicesCount() == 0 || scope.getServicesList().contains(service));
  }

  /**
   * True when this session may change or delete {@code route}: it may change the route's service
   * and, when the scope names route prefixes, the route's path starts with one of them.
   */
  public boolean mayChangeRoute(dev.sluice.admin.v1.Route route) {
    return mayChange(route.getService()) && (scope.getRoutePrefixesCount() == 0
        || scope.getRoutePrefixesList().stream().anyMatch(route.getMatch().getPath()::startsWith));
  }

  /** "olivia · operator · scope: services payments; routes /pay · may: permanent-override". */
  static String describe(dev.sluice.admin.v1.Session session) {
    StringBuilder text = new StringBuilder(session.getPrincipal()).append(" · ")
        .append(switch (session.getRole()) {
          case ROLE_OPERATOR -> "operator";
          case ROLE_VIEWER -> "viewer (read-only)";
          default -> "no role";
        });
    var scope = session.getScope();
    if (session.getRole() == dev.sluice.admin.v1.Role.ROLE_OPERATOR) {
      if (scope.getServicesCount() == 0 && scope.getRoutePrefixesCount() == 0) {
        text.append(" · scope: everything");
      } else {
        text.append(" · scope:");
        if (scope.getServicesCount() > 0) {
          text.append(" services ").append(String.join(", ", scope.getServicesList()));
        }
        if (scope.getRoutePrefixesCount() > 0) {
          text.append(scope.getServicesCount() > 0 ? ";" : "").append(" routes ")
              .append(String.join(", ", scope.getRoutePrefixesList()));
        }
      }
    }
    if (session.getPermissionsCount() > 0) {
      text.append(" · may: ").append(String.join(", ", session.getPermissionsList()));
    }
    return text.toString();
  }

  /** Refreshes ages ("last update 4 s ago") and staleness; called once a second as well. */
  public void tick() {
    Instant now = clock.instant();
    breakers.tick(now);
    registry.tick(now);
    ConnectionState s = state.get();
    String phase = switch (s.phase()) {
      case CONNECTING -> "Connecting to " + address;
      case LIVE -> "Live";
      case RECONNECTING -> "Reconnecting";
      case FAILED -> "Failed";
    };
    boolean hasData = !lastData.equals(Instant.EPOCH);
    Duration age = Duration.between(lastData, now);
    stale.set(s.phase() != ConnectionState.Phase.LIVE || (hasData && age.compareTo(STALE_AFTER) > 0));
    StringBuilder text = new StringBuilder(phase);
    if (s.phase() != ConnectionState.Phase.LIVE && !s.detail().isEmpty()) {
      text.append(" (").append(s.detail()).append(')');
    }
    this.age.set(hasData ? "last update " + Figures.age(age) + " ago" : "");
    if (hasData) {
      text.append(" · config v").append(configVersion.get()).append(" · ").append(this.age.get());
    }
    statusText.set(text.toString());
  }

  public String address() {
    return address;
  }

  @Override
  public String agentId() {
    return name.get();
  }

  @Override
  public boolean live() {
    return !stale.get();
  }

  @Override
  public java.util.Map<String, dev.sluice.console.telemetry.RouteSample> latestSamples() {
    return routes.latestSamples();
  }

  /** The cluster the agent reports; agents with the same one form a fleet. Empty before attach. */
  @Override
  public String cluster() {
    return cluster;
  }

  /** The longest time-to-live the agent accepts for an override; zero when not known yet. */
  public Duration maxOverrideTtl() {
    return maxOverrideTtl;
  }

  /** Names of the gateway's services, in snapshot order. */
  public java.util.List<String> serviceNames() {
    return registry.services().stream().map(r -> r.service()).toList();
  }

  public StringProperty nameProperty() {
    return name;
  }

  public StringProperty identityProperty() {
    return identity;
  }

  /** "operator", "viewer" or "view only" (a view-only profile); empty before attach. */
  public StringProperty roleWordProperty() {
    return roleWord;
  }

  /** "last update 14 s ago", or empty before any data arrived. */
  public StringProperty ageProperty() {
    return age;
  }

  /** Who we are there and what we may change: principal, role, scope, view-only. */
  public StringProperty accessProperty() {
    return access;
  }

  /**
   * Set from the connection profile: when true the console offers and sends no change, whatever
   * the role.
   */
  public BooleanProperty viewOnlyProperty() {
    return viewOnly;
  }

  public ObjectProperty<ConnectionState> stateProperty() {
    return state;
  }

  public LongProperty configVersionProperty() {
    return configVersion;
  }

  /** "Live · config v3 · last update 0 s ago", or the phase and why. */
  public StringProperty statusTextProperty() {
    return statusText;
  }

  /** True when what is shown may no longer be true: not live, or no data for a few seconds. */
  public BooleanProperty staleProperty() {
    return stale;
  }

  /**
   * True when the session's role may change things (operator); mutation controls follow it. The
   * gateway enforces roles and scopes itself; this only avoids offering what would be refused.
   */
  public BooleanProperty mayChangeProperty() {
    return mayChange;
  }

  /** Counts applied telemetry frames; views that redraw per frame listen to it. */
  public LongProperty framesAppliedProperty() {
    return framesApplied;
  }

  public RoutesViewModel routes() {
    return routes;
  }

  public BreakersViewModel breakers() {
    return breakers;
  }

  public RegistryViewModel registry() {
    return registry;
  }

  public EventsViewModel events() {
    return events;
  }

  /** The agent's history loaded on attach, extended live, with event annotations. */
  public dev.sluice.console.history.HistoryModel history() {
    return history;
  }
}
