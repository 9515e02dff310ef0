package dev.sluice.console.history;

import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.GetTelemetryHistoryRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListAuditEntriesResponse;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.ListEventsResponse;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.export.IncidentExport;
import io.grpc.Channel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Gathers one window of an agent for an incident export, as {@code ctl export} does (agent info,
 * events, audit entries, per-route history, the snapshot now as "end"), plus what only the console
 * has: the snapshot it saw at the window's start, if it was attached then, and its chart PNGs.
 * Blocking: run it on a background thread.
 */
public final class IncidentCollector {
  private static final int AUDIT_PAGE = 1000;
  private static final long DEADLINE_SECONDS = 60;

  /** What the console adds besides the agent's answers. */
  public record Request(
      Instant from,
      Instant to,
      String generator,
      String incidentId,
      String title,
      String notes,
      @Nullable Snapshot snapshotAtStart,
      List<Chart> charts) {}

  /** A chart picture: {@code name} becomes {@code images/<name>.png}. */
  public record Chart(String name, String title, List<String> routeIds, byte[] png) {}

  private IncidentCollector() {}

  /**
   * @param progress receives a line per stage ("reading events…"); called on this thread
   */
  public static IncidentExport collect(Channel channel, Request request, Instant now,
      Consumer<String> progress) {
    Timestamp from = HistoryLoader.timestamp(request.from());
    Timestamp to = HistoryLoader.timestamp(request.to());
    progress.accept("reading the agent and its snapshot…");
    var agent = AgentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS);
    AgentInfo info = agent.getAgentInfo(GetAgentInfoRequest.getDefaultInstance());
    Snapshot end = agent.getSnapshot(GetSnapshotRequest.getDefaultInstance());
    IncidentExport.Builder export = IncidentExport.builder()
        .window(request.from(), request.to())
        .generator(request.generator())
        .exportedAt(now)
        .agent(info)
        .snapshotAtEnd(end)
        .incident(request.incidentId(), request.title(), request.notes());
    if (request.snapshotAtStart() != null) {
      export.snapshotAtStart(request.snapshotAtStart());
    }
    progress.accept("reading events…");
    ListEventsResponse events = EventServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .listEvents(ListEventsRequest.newBuilder().setFrom(from).setTo(to).build());
    export.addEvents(events.getEventsList())
        .oldestAvailableEventSequence(events.getOldestAvailableSequence());
    progress.accept("reading audit entries…");
    ListAuditEntriesRequest.Builder page = ListAuditEntriesRequest.newBuilder()
        .setPageSize(AUDIT_PAGE).setFrom(from).setTo(to);
    List<AuditEntry> entries = new ArrayList<>();
    while (true) {
      ListAuditEntriesResponse answer = AuditServiceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS).listAuditEntries(page.build());
      entries.addAll(answer.getEntriesList());
      if (answer.getNextPageToken().isEmpty()) {
        break;
      }
      page.setPageToken(answer.getNextPageToken());
    }
    export.addAuditEntries(entries);
    progress.accept("reading per-route history…");
    export.history(TelemetryServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(DEADLINE_SECONDS, TimeUnit.SECONDS)
        .getTelemetryHistory(GetTelemetryHistoryRequest.newBuilder().setFrom(from).setTo(to).build()));
    for (Chart chart : request.charts()) {
      export.addImage(chart.name(), chart.title(), chart.routeIds(), chart.png());
    }
    return export.build();
  }
}
