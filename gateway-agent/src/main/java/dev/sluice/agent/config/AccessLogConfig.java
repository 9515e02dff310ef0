package dev.sluice.agent.config;

/** Whether one line per request is written to the {@code sluice.access} logger. */
public record AccessLogConfig(boolean enabled) {}
