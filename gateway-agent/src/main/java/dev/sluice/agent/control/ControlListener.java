package dev.sluice.agent.control;

/**
 * Told about every change that took effect, in version order: those asked for through
 * {@link GatewayControl#apply} and those the agent made itself when an override's time-to-live ended
 * (then {@code expired} is true and the context's principal is {@code sluice-agent}).
 */
public interface ControlListener {

    void applied(ChangeContext context, Change change, ChangeOutcome.Applied outcome, boolean expired);
}
