package dev.sluice.console.registry;

import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.InstanceTelemetry;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryFrame;
import dev.sluice.console.confirm.PendingChange;
import dev.sluice.console.connection.Change;
import dev.sluice.console.connection.GatewayControl;
import dev.sluice.console.telemetry.Samples;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;

/**
 * Services and their instances from the snapshot, kept live by telemetry, with drain and undrain as
 * {@link PendingChange}s that state how many instances the service keeps. UI thread only.
 */
public final class RegistryViewModel {
  private final Map<String, InstanceRow> services = new LinkedHashMap<>();
  private final Map<String, List<InstanceRow>> instances = new HashMap<>();
  private final ReadOnlyIntegerWrapper layout = new ReadOnlyIntegerWrapper(this, "layout");
  private final GatewayControl control;
  private final LongSupplier configVersion;
  private String structure = "";
  private final javafx.beans.property.StringProperty registryWarning =
      new javafx.beans.property.SimpleStringProperty(this, "registryWarning", "");

  public RegistryViewModel(GatewayControl control, LongSupplier configVersion) {
    this.control = control;
    this.configVersion = configVersion;
  }

  /** Changes when services or instances were added or removed. */
  public ReadOnlyIntegerProperty layoutProperty() {
    return layout.getReadOnlyProperty();
  }

  public List<InstanceRow> services() {
    return List.copyOf(services.values());
  }

  public List<InstanceRow> instances(InstanceRow service) {
    return instances.getOrDefault(service.service(), List.of());
  }

  public Optional<InstanceRow> instance(String service, String instanceId) {
    return instances.getOrDefault(service, List.of()).stream()
        .filter(r -> instanceId.equals(r.instanceId()))
        .findFirst();
  }

  public void applySnapshot(Snapshot snapshot) {
    StringBuilder shape = new StringBuilder();
    for (Service s : snapshot.getServicesList()) {
      shape.append(s.getName()).append(':');
      for (Instance i : s.getInstancesList()) {
        shape.append(i.getId()).append(',');
      }
      shape.append('\n');
    }
    if (!shape.toString().equals(structure)) {
      structure = shape.toString();
      services.clear();
      instances.clear();
      for (Service s : snapshot.getServicesList()) {
        services.put(s.getName(), new InstanceRow(s.getName(), null));
        List<InstanceRow> rows = new ArrayList<>();
        for (Instance i : s.getInstancesList()) {
          rows.add(new InstanceRow(s.getName(), i.getId()));
        }
        instances.put(s.getName(), rows);
      }
      layout.set(layout.get() + 1);
    }
    for (Service s : snapshot.getServicesList()) {
      int serving = 0;
      for (Instance i : s.getInstancesList()) {
        instance(s.getName(), i.getId()).ifPresent(row -> row.update(i));
        serving += i.getServing() ? 1 : 0;
      }
      services.get(s.getName())
          .summarise(serving, s.getInstancesCount(), s.getRegistryStale());
    }
    applyRegistryStatus(snapshot);
  }

  /**
   * The registry's word on each service and instance: a service row gets its registry status
   * ("fresh", "stale since …: error"), an instance the registry and check state and why it is not
   * serving; stale services fill the warning banner.
   */
  private void applyRegistryStatus(Snapshot snapshot) {
    List<String> stale = new ArrayList<>();
    for (Service s : snapshot.getServicesList()) {
      InstanceRow row = services.get(s.getName());
      if (row != null) {
        row.registryDetail(s.getRegistryStatus().isEmpty() && s.getRegistryStale() ? "stale"
            : s.getRegistryStatus());
      }
      if (s.getRegistryStale()) {
        stale.add(s.getName() + ": " + (s.getRegistryStatus().isEmpty() ? "registry stale"
            : s.getRegistryStatus()));
      }
      for (Instance i : s.getInstancesList()) {
        instance(s.getName(), i.getId()).ifPresent(r -> r.registryDetail(i.getServing() ? ""
            : i.getNotServingReason()));
      }
    }
    registryWarning.set(stale.isEmpty() ? ""
        : "⚠ Registry stale — last known instances kept. " + String.join(" · ", stale));
  }

  /** Empty while every registry is fresh; else which services are stale and why. */
  public javafx.beans.property.ReadOnlyStringProperty registryWarningProperty() {
    return registryWarning;
  }

  public void applyFrame(TelemetryFrame frame) {
    double interval = Samples.intervalSeconds(frame);
    Map<String, double[]> perService = new HashMap<>();
    for (InstanceTelemetry t : frame.getInstancesList()) {
      instance(t.getService(), t.getInstanceId()).ifPresent(row -> row.update(t, interval));
      double[] sum = perService.computeIfAbsent(t.getService(), s -> new double[3]);
      sum[0] += t.getRequests();
      sum[1] += t.getFailures();
      sum[2] += t.getServing() ? 1 : 0;
    }
    for (Map.Entry<String, double[]> e : perService.entrySet()) {
      InstanceRow row = services.get(e.getKey());
      if (row != null) {
        double[] sum = e.getValue();
        row.addRate(interval <= 0 ? 0 : sum[0] / interval, (long) sum[1]);
        row.summarise((int) sum[2], instances(row).size(),
            row.statusProperty().get().contains("stale"));
      }
    }
  }

  public PendingChange drain(InstanceRow row) {
    long basedOn = configVersion.getAsLong();
    String id = requireInstance(row);
    long servingNow = instances(services.get(row.service())).stream()
        .filter(r -> r.servingProperty().get()).count();
    long servingAfter = row.servingProperty().get() ? servingNow - 1 : servingNow;
    int total = instances(services.get(row.service())).size();
    return new PendingChange(
        "Drain " + row.service() + "/" + id,
        "Drain " + id + ": " + row.service() + " keeps " + servingAfter + " of " + total
            + " instances serving; requests in flight on " + id + " finish.",
        "Drain instance",
        true,
        reason -> control.drainInstance(row.service(), id,
            new Change(basedOn, reason)),
        new PendingChange.Escape(
            "The gateway keeps a floor of healthy instances for " + row.service() + ". You can"
                + " drain " + id + " anyway: the audit log records that you went below the floor.",
            row.service(),
            reason -> control.drainBelowFloor(row.service(), id, new Change(basedOn, reason))));
  }

  /** Refreshes the drains' countdowns once a second between snapshots. */
  public void tick(java.time.Instant now) {
    for (List<InstanceRow> rows : instances.values()) {
      for (InstanceRow row : rows) {
        row.tick(now);
      }
    }
  }

  /** Keeps the instance drained for {@code ttl} more, counted from now. */
  public PendingChange extendDrain(InstanceRow row, java.time.Duration ttl) {
    long basedOn = configVersion.getAsLong();
    String id = requireInstance(row);
    return new PendingChange(
        "Extend drain of " + row.service() + "/" + id,
        "Keep " + id + " drained for " + dev.sluice.console.telemetry.Figures.age(ttl)
            + " from now (" + row.countdownProperty().get().replace("⏱ ", "").replace(" left", "")
            + " left now); " + row.service() + " keeps sending it no new requests.",
        "Extend drain",
        false,
        reason -> control.extendOverride(dev.sluice.admin.v1.OverrideTarget.newBuilder()
            .setInstance(dev.sluice.admin.v1.InstanceRef.newBuilder()
                .setService(row.service()).setInstanceId(id)).build(),
            ttl, new Change(basedOn, reason)));
  }

  public PendingChange undrain(InstanceRow row) {
    long basedOn = configVersion.getAsLong();
    String id = requireInstance(row);
    return new PendingChange(
        "Undrain " + row.service() + "/" + id,
        "Put " + id + " back in rotation: " + row.service()
            + " sends it new requests again once its health checks pass.",
        "Undrain instance",
        false,
        reason -> control.undrainInstance(row.service(), id,
            new Change(basedOn, reason)));
  }

  private static String requireInstance(InstanceRow row) {
    String id = row.instanceId();
    if (id == null) {
      throw new IllegalArgumentException("drain applies to an instance, not to service "
          + row.service());
    }
    return id;
  }
}
