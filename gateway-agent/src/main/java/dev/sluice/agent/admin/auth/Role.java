package dev.sluice.agent.admin.auth;

/** What a principal may do: a viewer reads and streams; an operator also mutates (within scope). */
public enum Role {
  VIEWER,
  OPERATOR;

  /** The lower-case name used in config files and messages ("viewer", "operator"). */
  public String label() {
    return this == VIEWER ? "viewer" : "operator";
  }
}
