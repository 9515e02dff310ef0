package dev.sluice.agent.admin;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the refusals the admin services answer with, with their typed details. */
final class GrpcErrors {

  private GrpcErrors() {}

  /**
   * INVALID_ARGUMENT naming every bad field, as {@code google.rpc.BadRequest} field violations
   * (field path → description) and in the message.
   */
  static StatusRuntimeException invalidArgument(List<Map.Entry<String, String>> violations) {
    BadRequest.Builder details = BadRequest.newBuilder();
    for (Map.Entry<String, String> violation : violations) {
      details.addFieldViolations(BadRequest.FieldViolation.newBuilder()
          .setField(violation.getKey()).setDescription(violation.getValue()));
    }
    String message = violations.stream().map(v -> v.getKey() + ": " + v.getValue())
        .collect(Collectors.joining("; "));
    return StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(message)
        .addDetails(Any.pack(details.build())).build());
  }
}
