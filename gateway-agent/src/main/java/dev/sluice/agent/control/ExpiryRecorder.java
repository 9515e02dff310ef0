package dev.sluice.agent.control;

import dev.sluice.agent.admin.events.AgentEvent;

/**
 * Writes an override's expiry down durably (the admin side: an EXPIRED audit entry) before the
 * control plane announces it, and returns the one event that announces it. Runs on the expiry
 * thread inside the control plane's writer, so it must not call {@link GatewayControl#apply}.
 */
@FunctionalInterface
public interface ExpiryRecorder {

    /**
     * @param change the change the agent applied to end the override
     * @param expiry the event as the control plane would announce it (no audit entry id)
     * @return the event to announce, typically {@code expiry} with the audit entry ids filled in
     */
    AgentEvent.OverrideExpired record(Change change, ChangeOutcome.Applied outcome, AgentEvent.OverrideExpired expiry);
}
