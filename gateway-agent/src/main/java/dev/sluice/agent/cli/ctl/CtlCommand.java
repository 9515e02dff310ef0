package dev.sluice.agent.cli.ctl;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.sluice.admin.v1.AgentServiceGrpc;
import dev.sluice.admin.v1.AuditServiceGrpc;
import dev.sluice.admin.v1.ControlServiceGrpc;
import dev.sluice.admin.v1.EventServiceGrpc;
import dev.sluice.admin.v1.GetAgentInfoRequest;
import dev.sluice.admin.v1.TelemetryServiceGrpc;
import dev.sluice.agent.config.Durations;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.handler.ssl.SslContextBuilder;
import io.grpc.stub.AbstractStub;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice-agent ctl}: the connection options every subcommand shares (target, credentials,
 * output format) and the channel built from them. The token comes from {@code --token-file} or the
 * {@code SLUICE_TOKEN} environment variable, never from an argument (which would land in the shell
 * history and the process list).
 */
@Command(name = "ctl",
        description = "Inspect and steer a running agent through its admin API.",
        mixinStandardHelpOptions = true,
        footer = CtlExit.HELP,
        subcommands = {
            ReadCommands.Status.class, ReadCommands.Routes.class, ReadCommands.Breakers.class,
            ReadCommands.Instances.class, ReadCommands.Events.class, ReadCommands.Audit.class,
            MutationCommands.Trip.class, MutationCommands.ForceClose.class, MutationCommands.Reset.class,
            MutationCommands.Drain.class, MutationCommands.Undrain.class, MutationCommands.SetLimit.class,
            MutationCommands.ClearLimit.class, MutationCommands.Extend.class, MutationCommands.Revert.class,
            ExportCommand.class})
public final class CtlCommand implements Callable<Integer> {

    /** How results are printed. */
    public enum Output { table, json }

    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Option(names = "--target", required = true, paramLabel = "HOST:PORT", description = "the agent's admin listener")
    String target;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "file holding the bearer token (default: the SLUICE_TOKEN environment variable)")
    @Nullable Path tokenFile;

    @Option(names = "--ca", paramLabel = "FILE", description = "PEM CA certificates to trust for the agent's certificate")
    @Nullable Path ca;

    @Option(names = "--cert", paramLabel = "FILE", description = "PEM client certificate (mTLS)")
    @Nullable Path cert;

    @Option(names = "--key", paramLabel = "FILE", description = "PEM PKCS#8 private key of the client certificate")
    @Nullable Path key;

    @Option(names = "--plaintext", description = "connect without TLS (loopback agents only)")
    boolean plaintext;

    @Option(names = {"-o", "--output"}, defaultValue = "table", paramLabel = "FORMAT",
            description = "table (default) or json (protobuf JSON, for scripts)")
    Output output;

    @Option(names = "--timeout", defaultValue = "10s", paramLabel = "DURATION",
            description = "deadline of each call (default: ${DEFAULT-VALUE})")
    String timeout;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CtlExit.OK;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return output == Output.json;
    }

    /** The message as protobuf JSON, with default values printed so that scripts find every field. */
    static String json(MessageOrBuilder message) {
        try {
            return JsonFormat.printer().alwaysPrintFieldsWithNoPresence().print(message);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a generated message always prints as JSON", e);
        }
    }

    /** A JSON array of messages. */
    static String jsonArray(List<? extends MessageOrBuilder> messages) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < messages.size(); i++) {
            array.append(i == 0 ? "\n" : ",\n").append(json(messages.get(i)));
        }
        return array.append(messages.isEmpty() ? "]" : "\n]").toString();
    }

    /** Opens a channel to the agent; the caller closes it. */
    Connection connect() throws IOException {
        Duration deadline = Durations.parse(timeout);
        if (deadline == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--timeout: '" + timeout + "' is not a duration (500ms, 2s, 1m)");
        }
        if ((cert == null) != (key == null)) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--cert and --key go together");
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(target);
        if (plaintext) {
            builder.usePlaintext();
        } else {
            SslContextBuilder ssl = GrpcSslContexts.forClient();
            if (ca != null) {
                ssl.trustManager(ca.toFile());
            }
            if (cert != null && key != null) {
                ssl.keyManager(cert.toFile(), key.toFile());
            }
            builder.sslContext(ssl.build());
        }
        String token = token();
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(AUTHORIZATION, "Bearer " + token);
        }
        return new Connection(builder.build(), headers, deadline);
    }

    private @Nullable String token() throws IOException {
        if (tokenFile != null) {
            String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--token-file: " + tokenFile + " is empty");
            }
            return token;
        }
        String env = System.getenv("SLUICE_TOKEN");
        return env == null || env.isBlank() ? null : env.strip();
    }

    /** A channel with the caller's credentials attached to every stub it hands out. */
    static final class Connection implements AutoCloseable {
        private final ManagedChannel channel;
        private final Metadata headers;
        private final Duration deadline;

        Connection(ManagedChannel channel, Metadata headers, Duration deadline) {
            this.channel = channel;
            this.headers = headers;
            this.deadline = deadline;
        }

        private <S extends AbstractStub<S>> S unary(S stub) {
            return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                    .withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS);
        }

        AgentServiceGrpc.AgentServiceBlockingStub agent() {
            return unary(AgentServiceGrpc.newBlockingStub(channel));
        }

        ControlServiceGrpc.ControlServiceBlockingStub control() {
            return unary(ControlServiceGrpc.newBlockingStub(channel));
        }

        AuditServiceGrpc.AuditServiceBlockingStub audit() {
            return unary(AuditServiceGrpc.newBlockingStub(channel));
        }

        EventServiceGrpc.EventServiceBlockingStub events() {
            return unary(EventServiceGrpc.newBlockingStub(channel));
        }

        /** History answers stream in chunks; the deadline covers the whole answer. */
        TelemetryServiceGrpc.TelemetryServiceBlockingStub telemetry() {
            return unary(TelemetryServiceGrpc.newBlockingStub(channel));
        }

        /** For streams that last until the user stops them: no deadline. */
        EventServiceGrpc.EventServiceBlockingStub eventStream() {
            return EventServiceGrpc.newBlockingStub(channel)
                    .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
        }

        /** The agent's current config version, for a mutation given no --expected-version. */
        long currentVersion() {
            return agent().getAgentInfo(GetAgentInfoRequest.getDefaultInstance()).getConfigVersion();
        }

        @Override
        public void close() {
            channel.shutdownNow();
            try {
                channel.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Reports bad options, each as its own {@code error:} line, and gives the exit code for them. */
    int invalid(List<String> problems) {
        for (String problem : problems) {
            err().println("error: " + problem);
        }
        err().flush();
        return CtlExit.INVALID;
    }

    /** Runs a call against the agent and turns a refusal or an unreachable agent into its exit code. */
    interface Call {
        int run(Connection connection) throws IOException;
    }

    int run(Call call) {
        try (Connection connection = connect()) {
            return call.run(connection);
        } catch (StatusRuntimeException e) {
            return CtlExit.report(e, err());
        } catch (IOException e) {
            err().printf("error: %s%n", e.getMessage());
            err().flush();
            return CtlExit.OTHER;
        }
    }
}
