package dev.sluice.agent.config;

/** Who this agent is: its id (unique in the fleet) and the cluster it belongs to, as shown in the console. */
public record AgentSettings(String id, String cluster) {}
