/**
 * Choosing the instance for a request: a {@link dev.sluice.agent.balancing.Balancer} picks one
 * {@link dev.sluice.agent.balancing.Endpoint} from the candidates the proxy passes (only the serving
 * ones, or all eligible ones in panic mode). Lock-free, no Netty.
 */
@NullMarked
package dev.sluice.agent.balancing;

import org.jspecify.annotations.NullMarked;
