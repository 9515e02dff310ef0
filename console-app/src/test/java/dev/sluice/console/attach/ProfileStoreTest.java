package dev.sluice.console.attach;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileStoreTest {
  @TempDir
  Path dir;

  @Test
  void savedProfilesComeBackAndOneOfTheSameNameIsReplaced() {
    ProfileStore store = new ProfileStore(dir.resolve("sluice"));
    ConnectionProfile prod = new ConnectionProfile("prod", "gw-1:9901", true, "/etc/ca.pem",
        null, null, false);
    store.save(prod);
    store.save(new ConnectionProfile("stage", "gw-s:9901", false, null, null, null, true));
    ConnectionProfile prodReadOnly = new ConnectionProfile("prod", "gw-1:9901", true,
        "/etc/ca.pem", null, null, true);

    store.save(prodReadOnly);

    ProfileStore.Loaded loaded = new ProfileStore(dir.resolve("sluice")).load();
    assertThat(loaded.problem()).isEmpty();
    assertThat(loaded.profiles()).extracting(ConnectionProfile::name)
        .containsExactly("stage", "prod");
    assertThat(loaded.profiles().get(1)).isEqualTo(prodReadOnly);
  }

  @Test
  void unreadableFileLoadsAsNoProfilesWithAProblemAndIsReplacedOnSave() throws Exception {
    Files.writeString(dir.resolve(ProfileStore.FILE_NAME), "{ not json");
    ProfileStore store = new ProfileStore(dir);

    assertThat(store.load().profiles()).isEmpty();
    assertThat(store.load().problem()).hasValueSatisfying(p -> assertThat(p)
        .contains("is not a profile list"));

    store.save(new ConnectionProfile("prod", "gw-1:9901", false, null, null, null, false));
    assertThat(store.load().profiles()).hasSize(1);
  }

  @Test
  void noFileMeansNoProfilesAndNoProblem() {
    assertThat(new ProfileStore(dir).load()).isEqualTo(new ProfileStore.Loaded(
        java.util.List.of(), java.util.Optional.empty()));
  }
}
