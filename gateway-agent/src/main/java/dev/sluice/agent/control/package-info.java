/**
 * The control plane: the one place runtime operations (trip, reset, drain, limits, route edits) are
 * validated, version-checked, persisted and swapped into the running gateway. The admin API and the
 * agent itself (override expiry) go through {@link dev.sluice.agent.control.GatewayControl}.
 */
@NullMarked
package dev.sluice.agent.control;

import org.jspecify.annotations.NullMarked;
