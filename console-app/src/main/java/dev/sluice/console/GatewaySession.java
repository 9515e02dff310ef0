package dev.sluice.console;

import dev.sluice.console.connection.GatewayClient;
import dev.sluice.console.connection.GatewayTarget;
import dev.sluice.console.connection.UiUpdateCoalescer;
import java.time.Clock;
import java.time.Duration;

/**
 * One attached gateway: its client, the hand-off of its data onto the FX thread, and its view
 * model, started together and closed together.
 */
public final class GatewaySession implements AutoCloseable {
  /** How often the gateway sends a telemetry frame. */
  public static final Duration TELEMETRY_INTERVAL = Duration.ofSeconds(1);

  private final GatewayClient client;
  private final UiUpdateCoalescer toUi;
  private final GatewayViewModel viewModel;

  private GatewaySession(GatewayTarget target) {
    GatewayViewModel[] vm = new GatewayViewModel[1];
    dev.sluice.console.history.HistoryLoader[] history = new dev.sluice.console.history.HistoryLoader[1];
    this.toUi = UiUpdateCoalescer.onFxThread(batch -> vm[0].prepare(batch), batch -> {
      vm[0].apply(batch);
      if (batch.attached() != null) {
        // On attach and after every reconnect: the hours before (and the gap) from the agent.
        history[0].load();
      }
    });
    this.client = new GatewayClient(target, toUi, TELEMETRY_INTERVAL);
    this.viewModel = new GatewayViewModel(target.address(), client, Clock.systemUTC());
    viewModel.viewOnlyProperty().set(target.viewOnly());
    vm[0] = viewModel;
    history[0] = new dev.sluice.console.history.HistoryLoader(
        dev.sluice.console.history.HistoryLoader.over(client), toUi, viewModel.history(),
        Clock.systemUTC());
  }

  /** Creates the session and starts attaching in the background; call on the FX thread. */
  public static GatewaySession attach(GatewayTarget target) {
    GatewaySession session = new GatewaySession(target);
    session.client.start();
    return session;
  }

  public GatewayViewModel viewModel() {
    return viewModel;
  }

  public GatewayClient client() {
    return client;
  }

  /** Runs a task on the FX thread through the same hand-off as the gateway's data. */
  public UiUpdateCoalescer uiThread() {
    return toUi;
  }

  @Override
  public void close() {
    client.close();
  }
}
