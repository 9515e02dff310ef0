/**
 * Upstream services as the data plane sees them: resolved instances and the choice of one instance
 * per request behind {@link dev.sluice.agent.upstream.InstanceSelector}.
 */
@NullMarked
package dev.sluice.agent.upstream;

import org.jspecify.annotations.NullMarked;
