package dev.sluice.agent.cli.ctl;

import com.google.protobuf.Timestamp;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.GetTelemetryHistoryRequest;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListAuditEntriesResponse;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.ListEventsResponse;
import dev.sluice.admin.v1.RouteHistory;
import dev.sluice.agent.cli.Main;
import dev.sluice.agent.config.Durations;
import dev.sluice.export.IncidentExport;
import dev.sluice.export.IncidentExportWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ctl export}: saves a time window of the agent (events, audit entries, per-route history,
 * the agent and its current snapshot) as an incident export file (docs/incident-export.md), with
 * the read rpcs a viewer may call.
 */
@Command(name = "export",
        description = "Save a time window (events, audit, per-route history, snapshot) as an incident export zip.")
final class ExportCommand implements Callable<Integer> {

    private static final int AUDIT_PAGE = 1000;

    @ParentCommand
    CtlCommand ctl;

    @Option(names = "--last", paramLabel = "DURATION", description = "the window ending now, e.g. 30m, 2h")
    @Nullable String last;

    @Option(names = "--from", paramLabel = "TIME", description = "window start, ISO-8601 (2026-11-25T14:00:00Z)")
    @Nullable String from;

    @Option(names = "--to", paramLabel = "TIME", description = "window end, ISO-8601 (default: now)")
    @Nullable String to;

    @Option(names = {"--output", "--file"}, required = true, paramLabel = "FILE",
            description = "the export to write, e.g. inc-4211.sluice-incident.zip")
    Path file;

    @Option(names = "--incident", paramLabel = "ID", description = "incident reference stored in the export")
    String incidentId = "";

    @Option(names = "--title", paramLabel = "TEXT", description = "a title stored in the export")
    String title = "";

    @Option(names = "--histograms", description = "also keep latency histogram buckets per history point, when the agent has them")
    boolean histograms;

    @java.lang.Override
    public Integer call() {
        Instant now = Instant.now();
        List<String> problems = new ArrayList<>();
        Instant end = to == null ? now : instant("--to", to, problems);
        Instant start = null;
        if (last != null && from != null) {
            problems.add("--last and --from exclude each other");
        } else if (last != null) {
            Duration length = Durations.parse(last);
            if (length == null || length.isZero() || length.isNegative()) {
                problems.add("--last: '" + last + "' is not a positive duration (30m, 2h)");
            } else if (end != null) {
                start = end.minus(length);
            }
        } else if (from != null) {
            start = instant("--from", from, problems);
        } else {
            problems.add("give the window with --last DURATION or --from TIME [--to TIME]");
        }
        if (start != null && end != null && end.isBefore(start)) {
            problems.add("--to is before --from");
        }
        if (!problems.isEmpty() || start == null || end == null) {
            return ctl.invalid(problems);
        }
        Instant windowStart = start;
        Instant windowEnd = end;
        return ctl.run(c -> {
            IncidentExport export = collect(c, windowStart, windowEnd, now);
            IncidentExportWriter.write(export, file);
            int points = 0;
            for (RouteHistory route : export.document().getHistory().getRoutesList()) {
                points += route.getPointsCount();
            }
            if (ctl.json()) {
                ctl.out().printf("{\"file\": \"%s\", \"events\": %d, \"auditEntries\": %d, \"routes\": %d, \"points\": %d}%n",
                        file.toString().replace("\\", "\\\\").replace("\"", "\\\""), export.document().getEventsCount(),
                        export.document().getAuditEntriesCount(), export.document().getHistory().getRoutesCount(), points);
            } else {
                ctl.out().printf("wrote %s: %s to %s, %d events, %d audit entries, history of %d routes (%d points)%n",
                        file, windowStart, windowEnd, export.document().getEventsCount(),
                        export.document().getAuditEntriesCount(), export.document().getHistory().getRoutesCount(), points);
            }
            ctl.out().flush();
            return CtlExit.OK;
        });
    }

    private IncidentExport collect(CtlCommand.Connection c, Instant start, Instant end, Instant now) {
        Timestamp from = timestamp(start);
        Timestamp to = timestamp(end);
        AgentInfo agent = c.agent().getAgentInfo(GetAgentInfoRequest.getDefaultInstance());
        IncidentExport.Builder export = IncidentExport.builder()
                .window(start, end)
                .generator("sluice-agent ctl " + Main.version())
                .exportedAt(now)
                .agent(agent)
                .snapshotAtEnd(c.agent().getSnapshot(GetSnapshotRequest.getDefaultInstance()))
                .incident(incidentId, title, "");
        ListEventsResponse events = c.events().listEvents(ListEventsRequest.newBuilder().setFrom(from).setTo(to).build());
        export.addEvents(events.getEventsList()).oldestAvailableEventSequence(events.getOldestAvailableSequence());
        ListAuditEntriesRequest.Builder audit = ListAuditEntriesRequest.newBuilder().setPageSize(AUDIT_PAGE)
                .setFrom(from).setTo(to);
        List<AuditEntry> entries = new ArrayList<>();
        while (true) {
            ListAuditEntriesResponse page = c.audit().listAuditEntries(audit.build());
            entries.addAll(page.getEntriesList());
            if (page.getNextPageToken().isEmpty()) {
                break;
            }
            audit.setPageToken(page.getNextPageToken());
        }
        export.addAuditEntries(entries);
        export.history(c.telemetry().getTelemetryHistory(GetTelemetryHistoryRequest.newBuilder()
                .setFrom(from).setTo(to).setIncludeHistograms(histograms).build()));
        return export.build();
    }

    private static @Nullable Instant instant(String option, String text, List<String> problems) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            problems.add(option + ": '" + text + "' is not an ISO-8601 time like 2026-11-25T14:00:00Z");
            return null;
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
