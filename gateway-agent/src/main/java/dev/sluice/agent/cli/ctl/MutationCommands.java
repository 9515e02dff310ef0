package dev.sluice.agent.cli.ctl;

import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.ChangeResult;
import dev.sluice.admin.v1.ClearRateLimitRequest;
import dev.sluice.admin.v1.DrainInstanceRequest;
import dev.sluice.admin.v1.ExtendOverrideRequest;
import dev.sluice.admin.v1.ForceCloseBreakerRequest;
import dev.sluice.admin.v1.InstanceRef;
import dev.sluice.admin.v1.OverrideTarget;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.RateLimitKey;
import dev.sluice.admin.v1.ResetBreakerRequest;
import dev.sluice.admin.v1.RevertAuditEntryRequest;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.admin.v1.TripBreakerRequest;
import dev.sluice.admin.v1.UndrainInstanceRequest;
import dev.sluice.agent.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * The mutating subcommands of {@code ctl}. Each needs {@code --reason}; without
 * {@code --expected-version} it reads the agent's current version first, so a change made by
 * someone else in between is still caught as a conflict.
 */
final class MutationCommands {

    private MutationCommands() {}

    /** The options every mutation takes. */
    static final class Reasoned {
        @Option(names = "--reason", required = true, paramLabel = "TEXT", description = "why (required; audited and shown in events)")
        String reason;

        @Option(names = "--incident", paramLabel = "ID", description = "incident reference, e.g. INC-4211")
        String incident = "";

        @Option(names = "--expected-version", paramLabel = "N",
                description = "the config version the change is based on (default: the current one)")
        @Nullable Long expectedVersion;

        ChangeContext context(CtlCommand.Connection connection) {
            long version = expectedVersion != null ? expectedVersion : connection.currentVersion();
            return ChangeContext.newBuilder().setReason(reason).setIncidentId(incident)
                    .setExpectedVersion(version).build();
        }
    }

    /** Base of the mutations: the parent's connection and the printing of a result. */
    abstract static class Mutation implements Callable<Integer> {
        @ParentCommand
        CtlCommand ctl;

        @Mixin
        Reasoned reasoned = new Reasoned();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        abstract ChangeResult send(CtlCommand.Connection connection, ChangeContext context);

        @java.lang.Override
        public final Integer call() {
            return ctl.run(c -> {
                ChangeResult result = send(c, reasoned.context(c));
                if (ctl.json()) {
                    ctl.out().println(CtlCommand.json(result));
                } else {
                    ctl.out().printf("%s: applied, config version %d, audit entry %s%s%n", spec.name(),
                            result.getVersion(), result.getAuditEntryId(), result.hasExpiresAt()
                                    ? ", ends by itself at " + Instant.ofEpochSecond(result.getExpiresAt().getSeconds())
                                    : "");
                    for (String warning : result.getWarningsList()) {
                        ctl.out().printf("warning: %s%n", warning);
                    }
                }
                ctl.out().flush();
                return CtlExit.OK;
            });
        }

        /** Hands the parsed {@code --ttl} to {@code set}, when one was given. */
        void withTtl(@Nullable String text, Consumer<com.google.protobuf.Duration> set) {
            if (text != null) {
                set.accept(ttl(text));
            }
        }

        com.google.protobuf.Duration ttl(String text) {
            Duration ttl = Durations.parse(text);
            if (ttl == null || ttl.isZero()) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "--ttl: '" + text + "' is not a positive duration (30s, 30m, 2h)");
            }
            return com.google.protobuf.Duration.newBuilder().setSeconds(ttl.getSeconds()).setNanos(ttl.getNano()).build();
        }

        InstanceRef instance(String serviceSlashInstance) {
            int slash = serviceSlashInstance.indexOf('/');
            if (slash <= 0 || slash == serviceSlashInstance.length() - 1) {
                throw new CommandLine.ParameterException(spec.commandLine(),
                        "'" + serviceSlashInstance + "' must be SERVICE/INSTANCE, e.g. users/127.0.0.1:9001");
            }
            return InstanceRef.newBuilder().setService(serviceSlashInstance.substring(0, slash))
                    .setInstanceId(serviceSlashInstance.substring(slash + 1)).build();
        }
    }

    @Command(name = "trip", description = "Force a service's breaker open: its routes answer 503.")
    static final class Trip extends Mutation {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "end by itself after this long (without: needs permanent-override)")
        @Nullable String ttl;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            TripBreakerRequest.Builder request = TripBreakerRequest.newBuilder().setContext(context).setService(service);
            withTtl(ttl, request::setTtl);
            return c.control().tripBreaker(request.build());
        }
    }

    @Command(name = "force-close", description = "Force a service's breaker closed: traffic flows whatever it computes.")
    static final class ForceClose extends Mutation {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "end by itself after this long")
        @Nullable String ttl;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            ForceCloseBreakerRequest.Builder request =
                    ForceCloseBreakerRequest.newBuilder().setContext(context).setService(service);
            withTtl(ttl, request::setTtl);
            return c.control().forceCloseBreaker(request.build());
        }
    }

    @Command(name = "reset", description = "End a breaker's override and restart it closed with an empty window.")
    static final class Reset extends Mutation {
        @Parameters(paramLabel = "SERVICE")
        String service;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            return c.control().resetBreaker(ResetBreakerRequest.newBuilder().setContext(context).setService(service).build());
        }
    }

    @Command(name = "drain", description = "Take an instance out of rotation; in-flight requests finish.")
    static final class Drain extends Mutation {
        @Parameters(paramLabel = "SERVICE/INSTANCE")
        String instance;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "undrain by itself after this long")
        @Nullable String ttl;

        @Option(names = "--below-floor", description = "go below the service's healthy-instance floor on purpose (audited)")
        boolean belowFloor;

        @Option(names = "--consul-maintenance", description = "also put the instance in Consul maintenance mode "
                + "(Consul services only); the undrain or the ttl's expiry clears it again, also after a restart")
        boolean consulMaintenance;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            InstanceRef ref = instance(instance);
            DrainInstanceRequest.Builder request = DrainInstanceRequest.newBuilder().setContext(context)
                    .setService(ref.getService()).setInstanceId(ref.getInstanceId()).setAllowBelowFloor(belowFloor)
                    .setConsulMaintenance(consulMaintenance);
            withTtl(ttl, request::setTtl);
            return c.control().drainInstance(request.build());
        }
    }

    @Command(name = "undrain", description = "Put a drained instance back into rotation.")
    static final class Undrain extends Mutation {
        @Parameters(paramLabel = "SERVICE/INSTANCE")
        String instance;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            InstanceRef ref = instance(instance);
            return c.control().undrainInstance(UndrainInstanceRequest.newBuilder().setContext(context)
                    .setService(ref.getService()).setInstanceId(ref.getInstanceId()).build());
        }
    }

    @Command(name = "set-limit", description = "Set a route's rate limit (one bucket for the route).")
    static final class SetLimit extends Mutation {
        @Parameters(paramLabel = "ROUTE")
        String route;

        @Option(names = "--rate", required = true, paramLabel = "N", description = "requests per second")
        double rate;

        @Option(names = "--burst", required = true, paramLabel = "N", description = "bucket capacity")
        int burst;

        @Option(names = "--ttl", paramLabel = "DURATION", description = "restore the previous limit after this long")
        @Nullable String ttl;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            SetRateLimitRequest.Builder request = SetRateLimitRequest.newBuilder().setContext(context).setRouteId(route)
                    .setLimit(RateLimit.newBuilder().setRequestsPerSecond(rate).setBurst(burst)
                            .setKey(RateLimitKey.RATE_LIMIT_KEY_ROUTE));
            withTtl(ttl, request::setTtl);
            return c.control().setRateLimit(request.build());
        }
    }

    @Command(name = "clear-limit", description = "Remove a route's runtime limit (the file's limit applies again).")
    static final class ClearLimit extends Mutation {
        @Parameters(paramLabel = "ROUTE")
        String route;

        @Option(names = "--remove-configured", description = "also lift the file's limit: the route becomes unlimited")
        boolean removeConfigured;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            return c.control().clearRateLimit(ClearRateLimitRequest.newBuilder().setContext(context).setRouteId(route)
                    .setRemoveConfigured(removeConfigured).build());
        }
    }

    @Command(name = "extend", description = "Give an override a new deadline: extend (breaker SERVICE | drain SERVICE/INSTANCE | limit ROUTE) --ttl D")
    static final class Extend extends Mutation {
        @Parameters(index = "0", paramLabel = "KIND", description = "breaker, drain or limit")
        String kind;

        @Parameters(index = "1", paramLabel = "TARGET", description = "SERVICE, SERVICE/INSTANCE or ROUTE")
        String target;

        @Option(names = "--ttl", required = true, paramLabel = "DURATION", description = "new time-to-live counted from now")
        String ttl;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            OverrideTarget.Builder ref = OverrideTarget.newBuilder();
            switch (kind) {
                case "breaker" -> ref.setBreakerService(target);
                case "drain" -> ref.setInstance(instance(target));
                case "limit" -> ref.setRateLimitRouteId(target);
                default -> throw new CommandLine.ParameterException(spec.commandLine(),
                        "KIND must be breaker, drain or limit, was '" + kind + "'");
            }
            return c.control().extendOverride(ExtendOverrideRequest.newBuilder().setContext(context).setTarget(ref)
                    .setTtl(ttl(ttl)).build());
        }
    }

    @Command(name = "revert", description = "Apply an audit entry's before-state as a new change.")
    static final class Revert extends Mutation {
        @Parameters(paramLabel = "ENTRY", description = "audit entry id, e.g. a-000123")
        String entry;

        @Option(names = "--undo-later", description = "also undo later changes to the same target")
        boolean undoLater;

        @java.lang.Override
        ChangeResult send(CtlCommand.Connection c, ChangeContext context) {
            return c.control().revertAuditEntry(RevertAuditEntryRequest.newBuilder().setContext(context)
                    .setEntryId(entry).setUndoLaterChanges(undoLater).build());
        }
    }
}
