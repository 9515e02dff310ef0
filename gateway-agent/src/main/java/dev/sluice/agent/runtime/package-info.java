/**
 * The running agent: the current {@link dev.sluice.agent.runtime.GatewaySnapshot} behind one
 * atomic reference, the listeners, hot reload and graceful shutdown.
 */
@NullMarked
package dev.sluice.agent.runtime;

import org.jspecify.annotations.NullMarked;
