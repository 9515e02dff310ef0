package dev.sluice.console.safety;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.admin.v1.AuditEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The audit window's paging over an in-memory log that pages as the agent does (newest first). */
class AuditPagingTest {
  private final Log log = new Log(23);
  private final AuditViewModel vm = new AuditViewModel(log, Runnable::run, () -> 1, 10);

  @Test
  void loadsTheNewestPageFirstAndSaysMoreIsAvailable() {
    vm.load();
    log.answerAll();

    assertThat(vm.entries()).extracting(AuditEntry::getId).startsWith("a-23").endsWith("a-14")
        .hasSize(10);
    assertThat(vm.moreAvailableProperty().get()).isTrue();
    assertThat(vm.loadedProperty().get()).isEqualTo("10 loaded · more available");
  }

  @Test
  void olderPagesAreAddedBelowUntilTheLogEnds() {
    vm.load();
    log.answerAll();
    vm.loadOlder();
    log.answerAll();
    vm.loadOlder();
    log.answerAll();

    assertThat(vm.entries()).extracting(AuditEntry::getId).hasSize(23).startsWith("a-23")
        .endsWith("a-1").doesNotHaveDuplicates();
    assertThat(vm.moreAvailableProperty().get()).isFalse();
    assertThat(vm.loadedProperty().get()).isEqualTo("all 23 loaded");

    vm.loadOlder();
    assertThat(log.asked).as("nothing older to ask for").hasSize(3);
  }

  @Test
  void aSecondLoadOlderWhileOneIsOnItsWayAsksOnce() {
    vm.load();
    log.answerAll();
    vm.loadOlder();
    vm.loadOlder();

    assertThat(log.asked).hasSize(2);
    assertThat(vm.loadingProperty().get()).isTrue();
  }

  @Test
  void anOlderPageThatArrivesAfterARefreshIsDropped() {
    vm.load();
    log.answerAll();
    vm.loadOlder();
    vm.load();
    log.answerAll();

    assertThat(vm.entries()).extracting(AuditEntry::getId).hasSize(10).startsWith("a-23");
    assertThat(vm.moreAvailableProperty().get()).isTrue();
  }

  @Test
  void theFilterWorksOverEveryLoadedPage() {
    vm.load();
    log.answerAll();
    vm.loadOlder();
    log.answerAll();
    vm.filterProperty().set("BOB limit");

    assertThat(vm.shown()).extracting(AuditEntry::getId)
        .containsExactly("a-21", "a-18", "a-15", "a-12", "a-9", "a-6");
    assertThat(vm.loadedProperty().get()).isEqualTo("showing 6 of 20 loaded · more available");
  }

  @Test
  void aPageSizeTheAgentWouldRefuseIsRefusedUpFront() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new AuditViewModel(log, Runnable::run, () -> 1, 1001))
        .withMessage("page size must be 1 to 1000, was 1001");
  }

  /** Entries a-1 … a-n; every third one is bob's SetRateLimit. Answers wait until asked to. */
  private static final class Log implements AuditGateway {
    final List<String> asked = new ArrayList<>();
    private final List<Runnable> pending = new ArrayList<>();
    private final int size;

    Log(int size) {
      this.size = size;
    }

    @Override
    public CompletableFuture<Page> page(int pageSize, String pageToken) {
      asked.add(pageToken);
      CompletableFuture<Page> answer = new CompletableFuture<>();
      int below = pageToken.isEmpty() ? size + 1 : Integer.parseInt(pageToken);
      pending.add(() -> {
        List<AuditEntry> entries = new ArrayList<>();
        for (int n = below - 1; n >= 1 && entries.size() < pageSize; n--) {
          boolean bob = n % 3 == 0;
          entries.add(AuditEntry.newBuilder().setId("a-" + n)
              .setPrincipal(bob ? "bob" : "alice").setRpc(bob ? "SetRateLimit" : "TripBreaker")
              .setTarget(bob ? "route:users-get" : "breaker:users").setReason("step " + n).build());
        }
        int last = below - entries.size();
        answer.complete(new Page(entries, last > 1 ? String.valueOf(last) : ""));
      });
      return answer;
    }

    void answerAll() {
      List<Runnable> now = new ArrayList<>(pending);
      pending.clear();
      now.forEach(Runnable::run);
    }

    @Override
    public CompletableFuture<dev.sluice.admin.v1.RevertPlan> planRevert(String entryId) {
      throw new UnsupportedOperationException("not paged");
    }

    @Override
    public CompletableFuture<dev.sluice.admin.v1.ChangeResult> revert(String entryId,
        boolean undoLaterChanges, dev.sluice.admin.v1.ChangeContext context) {
      throw new UnsupportedOperationException("not paged");
    }
  }
}
