package dev.sluice.console.safety;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.admin.v1.AuditEntry;
import dev.sluice.admin.v1.ChangeContext;
import dev.sluice.admin.v1.RateLimit;
import dev.sluice.admin.v1.SetRateLimitRequest;
import dev.sluice.console.support.AgentFixture;
import dev.sluice.console.support.ConsoleUi;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.testfx.api.FxRobot;

/**
 * The audit window over a real agent whose log holds more than one page (520 real changes made
 * through the admin API): the newest 500 first, older ones on demand, the filter over all loaded.
 */
class AuditPagingUiTest {
  private static final Duration CEILING = Duration.ofSeconds(60);
  private static final int CHANGES = 520;
  @RegisterExtension
  static final ConsoleUi<AgentFixture> ui =
      ConsoleUi.agent("edge-audit", "eu").attachingAs(agent -> AgentFixture.VIEWER);

  @BeforeAll
  static void moreChangesThanOnePage() throws Exception {
    OperatorCalls.asOperator(ui.agent(), control -> {
      for (int i = 1; i <= CHANGES; i++) {
        control.setRateLimit(SetRateLimitRequest.newBuilder()
            .setContext(ChangeContext.newBuilder()
                .setReason(String.format(Locale.ROOT, "load step #%04d", i)))
            .setRouteId("orders")
            .setLimit(RateLimit.newBuilder().setRequestsPerSecond(100 + i).setBurst(10))
            .build());
      }
    });
  }

  @Test
  void olderPagesLoadOnDemandAndTheFilterSearchesThemToo(FxRobot robot) {
    robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.A);
    await().atMost(CEILING).until(() -> robot.lookup("#audit-loaded").tryQuery().isPresent()
        && robot.lookup("#audit-loaded").queryLabeled().getText().equals("500 loaded · more available"));
    TableView<AuditEntry> table = robot.lookup("#audit-table").queryTableView();
    assertThat(reasons(table)).contains("load step #0520").doesNotContain("load step #0001");

    robot.clickOn("#audit-filter").write("#0007");
    assertThat(table.getItems()).as("#0007 is not loaded yet").isEmpty();
    robot.clickOn("#audit-load-older");

    await().atMost(CEILING).until(() -> robot.lookup("#audit-loaded").queryLabeled().getText()
        .equals("showing 1 of all " + CHANGES + " loaded"));
    assertThat(reasons(table)).containsExactly("load step #0007");
    assertThat(robot.lookup("#audit-load-older").queryButton().isDisabled())
        .as("nothing older is left").isTrue();
    robot.clickOn("#audit-filter").push(KeyCode.CONTROL, KeyCode.A).push(KeyCode.BACK_SPACE);
    await().atMost(CEILING).until(() -> table.getItems().size() == CHANGES);
    assertThat(reasons(table)).contains("load step #0001", "load step #0520").doesNotHaveDuplicates();
  }

  private static List<String> reasons(TableView<AuditEntry> table) {
    return table.getItems().stream().map(AuditEntry::getReason).toList();
  }
}
