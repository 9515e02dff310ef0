package dev.sluice.agent.cli.ctl;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.BadRequest;
import dev.sluice.admin.v1.FloorViolation;
import dev.sluice.admin.v1.VersionConflict;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * The exit codes of {@code ctl}, and how a refused call becomes one: 0 ok, 1 other or unreachable,
 * 2 invalid input, 3 refused (not authenticated or not allowed), 4 conflict, 5 refused by a safety
 * rule (healthy-instance floor), 6 not found.
 */
public final class CtlExit {

    public static final int OK = 0;
    public static final int OTHER = 1;
    public static final int INVALID = 2;
    public static final int REFUSED = 3;
    public static final int CONFLICT = 4;
    public static final int SAFETY = 5;
    public static final int NOT_FOUND = 6;

    /** The help text's footer listing the codes. */
    static final String HELP = """
            %nExit codes:
              0  ok
              1  other failure, or the agent could not be reached
              2  invalid input (rejected locally or INVALID_ARGUMENT)
              3  refused: not authenticated or not allowed (UNAUTHENTICATED, PERMISSION_DENIED)
              4  conflict: the state changed since it was read (FAILED_PRECONDITION)
              5  refused by a safety rule: the healthy-instance floor (FAILED_PRECONDITION + FloorViolation)
              6  not found (NOT_FOUND)""";

    private CtlExit() {}

    /** Prints what the agent said, with its typed details, and returns the exit code for it. */
    static int report(StatusRuntimeException e, PrintWriter err) {
        Status status = e.getStatus();
        String description = status.getDescription() == null ? "" : status.getDescription();
        err.printf("error: %s: %s%n", status.getCode().name().toLowerCase(Locale.ROOT).replace('_', ' '), description);
        boolean floor = false;
        com.google.rpc.Status details = StatusProto.fromThrowable(e);
        if (details != null) {
            for (Any detail : details.getDetailsList()) {
                try {
                    if (detail.is(BadRequest.class)) {
                        for (BadRequest.FieldViolation v : detail.unpack(BadRequest.class).getFieldViolationsList()) {
                            err.printf("  %s: %s%n", v.getField(), v.getDescription());
                        }
                    } else if (detail.is(VersionConflict.class)) {
                        VersionConflict c = detail.unpack(VersionConflict.class);
                        err.printf("  expected version %d, current version %d%n", c.getExpectedVersion(), c.getCurrentVersion());
                    } else if (detail.is(FloorViolation.class)) {
                        FloorViolation f = detail.unpack(FloorViolation.class);
                        floor = true;
                        err.printf("  %s would keep %d of %d instances serving; floor is %.0f %%"
                                + " (repeat with --below-floor to go below it on purpose)%n",
                                f.getService(), f.getServingAfter(), f.getTotalInstances(), f.getMinHealthyPercent());
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // A detail this client cannot read: the message above still says what happened.
                }
            }
        }
        err.flush();
        return switch (status.getCode()) {
            case INVALID_ARGUMENT -> INVALID;
            case UNAUTHENTICATED, PERMISSION_DENIED -> REFUSED;
            case FAILED_PRECONDITION -> floor ? SAFETY : CONFLICT;
            case NOT_FOUND -> NOT_FOUND;
            default -> OTHER;
        };
    }
}
