package dev.sluice.agent.admin.state;

import java.nio.file.Path;

/** What {@link StateStore#load()} found: nothing, a state, or a corrupt file it set aside. */
public sealed interface StateLoad {

  /** The state to start from ({@link RuntimeState#EMPTY} unless one was loaded). */
  RuntimeState state();

  /** No state file: the agent runs the file config as it is. */
  record Absent() implements StateLoad {
    @Override
    public RuntimeState state() {
      return RuntimeState.EMPTY;
    }
  }

  /** The state file was read. */
  record Loaded(RuntimeState state) implements StateLoad {}

  /**
   * The state file could not be used; it was moved to {@code movedTo} (never deleted or
   * overwritten) and the agent starts from the file config. {@code problem} says why, for the log
   * and the operator.
   */
  record SetAside(String problem, Path movedTo) implements StateLoad {
    @Override
    public RuntimeState state() {
      return RuntimeState.EMPTY;
    }
  }
}
