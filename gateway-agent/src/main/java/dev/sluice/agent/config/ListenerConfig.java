package dev.sluice.agent.config;

/**
 * An address the agent listens on. Port 0 asks the OS for any free port (tests use it); the
 * runtime reports the port actually bound.
 */
public record ListenerConfig(String name, String host, int port) {}
