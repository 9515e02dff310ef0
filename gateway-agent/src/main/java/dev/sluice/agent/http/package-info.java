/**
 * What every HTTP answer the gateway makes itself has in common: the JSON error envelope. Depends on
 * nothing else of the agent, so the proxy and the filters can both use it without a package cycle.
 */
@NullMarked
package dev.sluice.agent.http;

import org.jspecify.annotations.NullMarked;
