package dev.sluice.agent.cli.ctl;

import com.google.protobuf.MessageOrBuilder;
import dev.sluice.admin.v1.AgentInfo;
import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.Breaker;
import dev.sluice.admin.v1.Event;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.GetSessionRequest;
import dev.sluice.admin.v1.GetSnapshotRequest;
import dev.sluice.admin.v1.Instance;
import dev.sluice.admin.v1.ListAuditEntriesRequest;
import dev.sluice.admin.v1.ListAuditEntriesResponse;
import dev.sluice.admin.v1.ListEventsRequest;
import dev.sluice.admin.v1.Listener;
import dev.sluice.admin.v1.Override;
import dev.sluice.admin.v1.Route;
import dev.sluice.admin.v1.Service;
import dev.sluice.admin.v1.Session;
import dev.sluice.admin.v1.Snapshot;
import dev.sluice.admin.v1.WatchEventsRequest;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The read-only subcommands of {@code ctl}: status, routes, breakers, instances, events, audit. */
final class ReadCommands {

    private ReadCommands() {}

    /** Base of the read commands: the parent's connection and output. */
    abstract static class Read implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;
    }

    /**
     * A list from a fresh snapshot: a JSON array with {@code --output json}, else a table of one
     * {@link #row} per item followed by the snapshot's config version.
     */
    abstract static class SnapshotList<T extends MessageOrBuilder> extends Read {
        abstract List<T> items(Snapshot snapshot);

        abstract Table table();

        abstract void row(Table table, T item);

        @java.lang.Override
        public final Integer call() {
            return ctl.run(c -> {
                Snapshot snapshot = c.agent().getSnapshot(GetSnapshotRequest.getDefaultInstance());
                List<T> items = items(snapshot);
                if (ctl.json()) {
                    ctl.out().println(CtlCommand.jsonArray(items));
                    ctl.out().flush();
                    return CtlExit.OK;
                }
                Table table = table();
                for (T item : items) {
                    row(table, item);
                }
                table.print(ctl.out());
                ctl.out().printf("%nconfig version %d%n", snapshot.getConfigVersion());
                ctl.out().flush();
                return CtlExit.OK;
            });
        }
    }

    @Command(name = "status", description = "Who the agent is, its listeners, and who you are to it.")
    static final class Status extends Read {
        @java.lang.Override
        public Integer call() {
            return ctl.run(c -> {
                AgentInfo info = c.agent().getAgentInfo(GetAgentInfoRequest.getDefaultInstance());
                Session session = c.agent().getSession(GetSessionRequest.getDefaultInstance());
                PrintWriter out = ctl.out();
                if (ctl.json()) {
                    out.println("{\"agent\": " + CtlCommand.json(info) + ",\n\"session\": " + CtlCommand.json(session) + "}");
                } else {
                    out.printf("agent           %s (cluster %s) on %s, sluice %s%n", info.getAgentId(), info.getCluster(),
                            info.getHost(), info.getVersion());
                    out.printf("config          version %d from %s%n", info.getConfigVersion(), info.getConfigPath());
                    out.printf("uptime          %ds%n", info.getUptime().getSeconds());
                    out.printf("max override    %ds%n", info.getMaxOverrideTtl().getSeconds());
                    out.printf("you             %s, %s%s%s%n", session.getPrincipal(), words(session.getRole().name(), "ROLE_"),
                            session.getScope().getServicesCount() + session.getScope().getRoutePrefixesCount() == 0 ? ""
                                    : ", scoped to services " + session.getScope().getServicesList()
                                            + " route prefixes " + session.getScope().getRoutePrefixesList(),
                            session.getPermissionsCount() == 0 ? "" : ", permissions " + session.getPermissionsList());
                    Table listeners = new Table("LISTENER", "PROTOCOL", "ADDRESS");
                    for (Listener l : info.getListenersList()) {
                        listeners.row(l.getName(), words(l.getProtocol().name(), "LISTENER_PROTOCOL_"), l.getAddress());
                    }
                    out.println();
                    listeners.print(out);
                }
                out.flush();
                return CtlExit.OK;
            });
        }
    }

    @Command(name = "routes", description = "Routes in force, where they come from and their limits.")
    static final class Routes extends SnapshotList<Route> {
        @java.lang.Override
        List<Route> items(Snapshot snapshot) {
            return snapshot.getRoutesList();
        }

        @java.lang.Override
        Table table() {
            return new Table("ID", "HOST", "PATH", "METHODS", "SERVICE", "LIMIT", "ORIGIN");
        }

        @java.lang.Override
        void row(Table t, Route r) {
            String limit = r.getRateLimit().hasEffective()
                    ? r.getRateLimit().getEffective().getRequestsPerSecond() + "/s burst "
                            + r.getRateLimit().getEffective().getBurst()
                            + (r.getRateLimit().hasOverride() ? until(r.getRateLimit().getOverride()) : "")
                    : "-";
            t.row(r.getId(), r.getMatch().getHost().isEmpty() ? "*" : r.getMatch().getHost(),
                    r.getMatch().getPath(), r.getMatch().getMethodsCount() == 0 ? "*"
                            : String.join(",", r.getMatch().getMethodsList()),
                    r.getService(), limit, words(r.getOrigin().name(), "ORIGIN_")
                            + (r.getDiffersFromFile() ? " (differs from file)" : ""));
        }
    }

    @Command(name = "breakers", description = "Each service's breaker: computed state and override side by side.")
    static final class Breakers extends SnapshotList<Breaker> {
        @java.lang.Override
        List<Breaker> items(Snapshot snapshot) {
            return snapshot.getBreakersList();
        }

        @java.lang.Override
        Table table() {
            return new Table("SERVICE", "COMPUTED", "OVERRIDE", "FAILURE%", "CALLS", "REFUSED", "ROUTES");
        }

        @java.lang.Override
        void row(Table t, Breaker b) {
            String override = words(b.getOverride().name(), "BREAKER_OVERRIDE_");
            if (b.hasOverrideInfo()) {
                override += " by " + b.getOverrideInfo().getSetBy() + until(b.getOverrideInfo());
            }
            t.row(b.getService(), words(b.getComputedState().name(), "BREAKER_STATE_"), override,
                    b.getFailureRate() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", b.getFailureRate()),
                    b.getCallsInWindow(), b.getNotPermittedCalls(), String.join(",", b.getRouteIdsList()));
        }
    }

    @Command(name = "instances", description = "Every instance, whether it serves, and why not.")
    static final class Instances extends SnapshotList<Instance> {
        @java.lang.Override
        List<Instance> items(Snapshot snapshot) {
            List<Instance> instances = new ArrayList<>();
            for (Service s : snapshot.getServicesList()) {
                instances.addAll(s.getInstancesList());
            }
            return instances;
        }

        @java.lang.Override
        Table table() {
            return new Table("SERVICE", "INSTANCE", "ADDRESS", "SERVING", "HEALTH", "DRAIN", "WHY NOT");
        }

        @java.lang.Override
        void row(Table t, Instance i) {
            t.row(i.getService(), i.getId(), i.getHost() + ":" + i.getPort(), i.getServing() ? "yes" : "no",
                    words(i.getCheckHealth().name(), "CHECK_HEALTH_"),
                    i.hasDrain() ? "by " + i.getDrain().getSetBy() + until(i.getDrain()) : "-",
                    i.getNotServingReason());
        }
    }

    @Command(name = "events", description = "Events the agent holds; with --follow, then live ones until interrupted.")
    static final class Events extends Read {
        @Option(names = "--follow", description = "keep streaming new events")
        boolean follow;

        @Option(names = "--from", defaultValue = "1", paramLabel = "SEQ", description = "first sequence (default: the oldest held)")
        long from;

        @Option(names = "--max", defaultValue = "0", paramLabel = "N", description = "stop after N events (0: no limit)")
        int max;

        @java.lang.Override
        public Integer call() {
            if (from < 0 || max < 0) {
                return ctl.invalid(List.of("--from and --max must not be negative"));
            }
            return ctl.run(c -> {
                int printed = 0;
                if (!follow) {
                    for (Event e : c.events().listEvents(ListEventsRequest.getDefaultInstance()).getEventsList()) {
                        if (e.getSequence() >= from && (max == 0 || printed < max)) {
                            print(e);
                            printed++;
                        }
                    }
                    return CtlExit.OK;
                }
                Iterator<Event> stream = c.eventStream().watchEvents(
                        WatchEventsRequest.newBuilder().setFromSequence(from).build());
                while (stream.hasNext() && (max == 0 || printed < max)) {
                    print(stream.next());
                    printed++;
                }
                return CtlExit.OK;
            });
        }

        private void print(Event e) {
            if (ctl.json()) {
                // One object per line, so that a script can read the stream as it comes.
                ctl.out().println(CtlCommand.json(e).replace("\n", ""));
            } else {
                ctl.out().printf("%6d  %s  %-20s %s%n", e.getSequence(),
                        Instant.ofEpochSecond(e.getTime().getSeconds(), e.getTime().getNanos()),
                        words(e.getKind().name(), "EVENT_KIND_"), e.getSummary());
            }
            ctl.out().flush();
        }
    }

    @Command(name = "audit", description = "The audit log, newest first: every change and every refusal.")
    static final class Audit extends Read {
        @Option(names = "--limit", defaultValue = "20", paramLabel = "N", description = "entries to show (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--target", paramLabel = "PREFIX", description = "only targets starting with this, e.g. breaker:users")
        String targetPrefix = "";

        @java.lang.Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                return ctl.invalid(List.of("--limit must be between 1 and 1000"));
            }
            return ctl.run(c -> {
                ListAuditEntriesResponse page = c.audit().listAuditEntries(ListAuditEntriesRequest.newBuilder()
                        .setPageSize(limit).setTargetPrefix(targetPrefix).build());
                if (ctl.json()) {
                    ctl.out().println(CtlCommand.jsonArray(page.getEntriesList()));
                    ctl.out().flush();
                    return CtlExit.OK;
                }
                Table table = new Table("ID", "TIME", "WHO", "RPC", "TARGET", "OUTCOME", "VERSION", "REASON");
                for (AuditEntry e : page.getEntriesList()) {
                    table.row(e.getId(), Instant.ofEpochSecond(e.getTime().getSeconds()), e.getPrincipal(), e.getRpc(),
                            e.getTarget(), words(e.getOutcome().name(), "AUDIT_OUTCOME_")
                                    + (e.getBelowFloor() ? " (below floor)" : "")
                                    + (e.getRevertsEntryId().isEmpty() ? "" : " (reverts " + e.getRevertsEntryId() + ")"),
                            e.getResultingVersion() == 0 ? "-" : e.getResultingVersion(), e.getReason());
                }
                table.print(ctl.out());
                return CtlExit.OK;
            });
        }
    }

    /** "BREAKER_STATE_HALF_OPEN" → "half-open". */
    static String words(String enumName, String prefix) {
        String name = enumName.startsWith(prefix) ? enumName.substring(prefix.length()) : enumName;
        return name.toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String until(Override override) {
        return override.hasExpiresAt()
                ? " until " + Instant.ofEpochSecond(override.getExpiresAt().getSeconds()) : " (permanent)";
    }
}
