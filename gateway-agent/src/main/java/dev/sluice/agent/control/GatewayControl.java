package dev.sluice.agent.control;

/**
 * Runtime operations on a running gateway, each atomic: the change is validated as a whole, checked
 * against {@link ChangeContext#expectedVersion()}, persisted (so it survives a restart), and only then
 * swapped into the data plane, producing a new config version. A refused change alters nothing.
 *
 * <p>Thread-safe. Calls persist with fsync, so never call from a Netty event loop.
 */
public interface GatewayControl {

    /** The current config version. */
    long version();

    /** The effective state now: routes, services, breakers, instances, overrides. */
    GatewayState state();

    /**
     * Applies {@code change}, or with {@link ChangeContext#dryRun()} only runs every check and
     * reports what it would do. Who may make the change (role, scope, permissions, maximum TTL) is
     * the caller's check; the control plane checks the change itself and the version.
     */
    ChangeOutcome apply(ChangeContext context, Change change);

    /** Registers a listener for applied changes and expiries; it runs after the swap, off the event loop. */
    void addListener(ControlListener listener);

    /**
     * Hands every override expiry to {@code recorder} before its OverrideExpired event is published,
     * so that exactly one event announces it and names its audit entry. Expiries that happened before
     * a recorder was set (e.g. deadlines that passed while the agent was stopped) are handed over now.
     */
    void recordExpiriesWith(ExpiryRecorder recorder);
}
