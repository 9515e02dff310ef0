package dev.sluice.admin.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.Descriptors.Descriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generated descriptors carry every service and rpc the product needs, with the conventions of the package. */
class ContractTest {

  static final List<FileDescriptor> FILES = List.of(
      ModelProto.getDescriptor(),
      AgentProto.getDescriptor(),
      TelemetryProto.getDescriptor(),
      EventsProto.getDescriptor(),
      ControlProto.getDescriptor(),
      dev.sluice.export.v1.IncidentProto.getDescriptor());

  @Test
  void everyServiceOffersTheRpcsTheDesignNeeds() {
    Map<String, Set<String>> expected = new TreeMap<>();
    expected.put("sluice.admin.v1.AgentService", Set.of("GetAgentInfo", "GetSession", "GetSnapshot"));
    expected.put("sluice.admin.v1.TelemetryService", Set.of("WatchTelemetry", "GetTelemetryHistory"));
    expected.put("sluice.admin.v1.EventService", Set.of("WatchEvents", "ListEvents"));
    expected.put("sluice.admin.v1.AuditService", Set.of("ListAuditEntries", "GetAuditEntry", "PlanRevert"));
    expected.put("sluice.admin.v1.ControlService", Set.of(
        "UpsertRoute", "DeleteRoute", "SetRateLimit", "ClearRateLimit",
        "TripBreaker", "ForceCloseBreaker", "ResetBreaker",
        "DrainInstance", "UndrainInstance", "ExtendOverride",
        "ValidateChange", "RevertAuditEntry"));

    Map<String, Set<String>> actual = new TreeMap<>();
    for (FileDescriptor file : FILES) {
      for (ServiceDescriptor service : file.getServices()) {
        actual.put(service.getFullName(),
            service.getMethods().stream().map(MethodDescriptor::getName).collect(Collectors.toSet()));
      }
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void streamsAreServerStreamingOnly() {
    assertThat(method("TelemetryService", "WatchTelemetry").isServerStreaming()).isTrue();
    assertThat(method("TelemetryService", "GetTelemetryHistory").isServerStreaming()).isTrue();
    assertThat(method("EventService", "WatchEvents").isServerStreaming()).isTrue();
    for (FileDescriptor file : FILES) {
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor m : service.getMethods()) {
          assertThat(m.isClientStreaming()).as(m.getFullName()).isFalse();
        }
      }
    }
  }

  @Test
  void everyMutationCarriesAChangeContextAndAnswersWithTheNewVersion() {
    ServiceDescriptor control = ControlProto.getDescriptor().findServiceByName("ControlService");
    for (MethodDescriptor m : control.getMethods()) {
      if (m.getName().equals("ValidateChange")) {
        continue;
      }
      FieldDescriptor context = m.getInputType().findFieldByName("context");
      assertThat(context).as(m.getName() + " has a context field").isNotNull();
      assertThat(context.getMessageType().getFullName()).isEqualTo("sluice.admin.v1.ChangeContext");
      assertThat(m.getOutputType().getFullName()).isEqualTo("sluice.admin.v1.ChangeResult");
    }
    // Overrides can expire by themselves.
    for (String request : List.of("TripBreakerRequest", "ForceCloseBreakerRequest", "DrainInstanceRequest",
        "SetRateLimitRequest", "ExtendOverrideRequest")) {
      FieldDescriptor ttl = ControlProto.getDescriptor().findMessageTypeByName(request).findFieldByName("ttl");
      assertThat(ttl).as(request + ".ttl").isNotNull();
      assertThat(ttl.getMessageType().getFullName()).isEqualTo("google.protobuf.Duration");
    }
  }

  @Test
  void validateChangeAcceptsEveryOtherMutation() {
    Descriptor validate = ValidateChangeRequest.getDescriptor();
    Set<String> validatable = validate.getFields().stream()
        .map(f -> f.getMessageType().getName()).collect(Collectors.toSet());
    Set<String> mutations = ControlProto.getDescriptor().findServiceByName("ControlService").getMethods().stream()
        .filter(m -> !m.getName().equals("ValidateChange") && !m.getName().equals("RevertAuditEntry"))
        .map(m -> m.getInputType().getName()).collect(Collectors.toSet());
    assertThat(validatable).isEqualTo(mutations);
  }

  @Test
  void enumsStartWithUnspecifiedZero() {
    List<String> offenders = new ArrayList<>();
    for (EnumDescriptor e : allEnums()) {
      String zero = e.findValueByNumber(0).getName();
      String expectedPrefix = upperSnake(e.getName()) + "_";
      if (!zero.equals(expectedPrefix + "UNSPECIFIED")) {
        offenders.add(e.getFullName() + " starts with " + zero);
      }
      e.getValues().stream()
          .filter(v -> !v.getName().startsWith(expectedPrefix))
          .forEach(v -> offenders.add(v.getFullName() + " lacks the prefix " + expectedPrefix));
    }
    assertThat(offenders).isEmpty();
  }

  @Test
  void timesAndDurationsUseTheWellKnownTypes() {
    // A duration or time as a bare number invites unit mistakes; latency figures in micros are the one
    // deliberate exception (they are histogram values, not durations of the protocol).
    List<String> offenders = new ArrayList<>();
    for (Descriptor message : allMessages()) {
      for (FieldDescriptor field : message.getFields()) {
        String name = field.getName();
        boolean numeric = field.getJavaType() == FieldDescriptor.JavaType.LONG
            || field.getJavaType() == FieldDescriptor.JavaType.INT
            || field.getJavaType() == FieldDescriptor.JavaType.DOUBLE;
        boolean looksTimed = name.endsWith("_ms") || name.endsWith("_seconds") || name.endsWith("_millis")
            || name.endsWith("_time") || name.endsWith("_at") || name.endsWith("timeout");
        if (numeric && looksTimed) {
          offenders.add(field.getFullName());
        }
      }
    }
    assertThat(offenders).isEmpty();
  }

  private static String upperSnake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }

  static List<Descriptor> allMessages() {
    List<Descriptor> out = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      for (Descriptor d : file.getMessageTypes()) {
        collect(d, out);
      }
    }
    return out;
  }

  private static void collect(Descriptor d, List<Descriptor> out) {
    out.add(d);
    for (Descriptor nested : d.getNestedTypes()) {
      collect(nested, out);
    }
  }

  private static List<EnumDescriptor> allEnums() {
    List<EnumDescriptor> out = new ArrayList<>();
    for (FileDescriptor file : FILES) {
      out.addAll(file.getEnumTypes());
    }
    for (Descriptor d : allMessages()) {
      out.addAll(d.getEnumTypes());
    }
    return out;
  }

  private static MethodDescriptor method(String service, String rpc) {
    for (FileDescriptor file : FILES) {
      ServiceDescriptor s = file.findServiceByName(service);
      if (s != null) {
        return s.findMethodByName(rpc);
      }
    }
    throw new AssertionError("no service " + service);
  }
}
