package dev.sluice.console.connection;

/**
 * What every mutation carries: the config version it is based on and the operator's reason. The
 * gateway refuses the change when the version is stale or the reason blank.
 */
public record Change(long expectedVersion, String reason) {}
