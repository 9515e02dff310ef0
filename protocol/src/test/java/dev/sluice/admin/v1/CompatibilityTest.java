package dev.sluice.admin.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Holds the compatibility rule of {@code sluice.admin.v1}: fields, enum values and rpcs are only ever added.
 *
 * <p>{@code api-lock.txt} lists every element as released. Each must still exist with the same number, type and
 * streaming shape; new elements are fine. After adding to the API, refresh the lock with
 * {@code ./mvnw -pl protocol test -Dsluice.updateApiLock=true} and commit it with the change.
 */
class CompatibilityTest {

  private static final String LOCK = "api-lock.txt";

  @Test
  void releasedElementsAreNeverRemovedRenumberedOrRetyped() throws IOException {
    Set<String> current = currentElements();
    if (Boolean.getBoolean("sluice.updateApiLock")) {
      Path lock = Path.of("src/test/resources", LOCK);
      Files.createDirectories(lock.getParent());
      Files.write(lock, current, StandardCharsets.UTF_8);
    }
    List<String> locked = readLock();
    List<String> missing = new ArrayList<>();
    for (String element : locked) {
      if (!current.contains(element)) {
        missing.add(element);
      }
    }
    assertThat(missing)
        .as("released API elements that changed or disappeared (a breaking change needs sluice.admin.v2)")
        .isEmpty();
  }

  @Test
  void theLockIsUpToDateWithTheProtoFiles() throws IOException {
    assertThat(new TreeSet<>(readLock()))
        .as("api-lock.txt lists the current API; refresh it with -Dsluice.updateApiLock=true")
        .isEqualTo(currentElements());
  }

  private static List<String> readLock() throws IOException {
    try (InputStream in = CompatibilityTest.class.getResourceAsStream("/" + LOCK)) {
      assertThat(in).as(LOCK + " on the test classpath").isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    }
  }

  static Set<String> currentElements() {
    Set<String> out = new TreeSet<>();
    for (FileDescriptor file : ContractTest.FILES) {
      for (ServiceDescriptor service : file.getServices()) {
        for (MethodDescriptor m : service.getMethods()) {
          out.add("rpc " + m.getFullName() + "(" + (m.isClientStreaming() ? "stream " : "")
              + m.getInputType().getFullName() + ") returns (" + (m.isServerStreaming() ? "stream " : "")
              + m.getOutputType().getFullName() + ")");
        }
      }
      for (EnumDescriptor e : file.getEnumTypes()) {
        addEnum(e, out);
      }
    }
    for (Descriptor message : ContractTest.allMessages()) {
      for (EnumDescriptor e : message.getEnumTypes()) {
        addEnum(e, out);
      }
      for (FieldDescriptor f : message.getFields()) {
        String type = switch (f.getType()) {
          case MESSAGE -> f.isMapField() ? "map" : f.getMessageType().getFullName();
          case ENUM -> f.getEnumType().getFullName();
          default -> f.getType().name().toLowerCase();
        };
        String label = f.isRepeated() ? "repeated " : "";
        String oneof = f.getRealContainingOneof() != null ? " oneof " + f.getRealContainingOneof().getName() : "";
        out.add("field " + f.getFullName() + " = " + f.getNumber() + " : " + label + type + oneof);
      }
    }
    return out;
  }

  private static void addEnum(EnumDescriptor e, Set<String> out) {
    for (EnumValueDescriptor v : e.getValues()) {
      out.add("enum " + e.getFullName() + "." + v.getName() + " = " + v.getNumber());
    }
  }
}
