/**
 * Per-route request filters with one contract ({@link dev.sluice.agent.filter.RequestFilter}), run
 * in a fixed order by a {@link dev.sluice.agent.filter.FilterChain} built once per route from the
 * route's {@code filters:} block. Filters run on the event loop: they never block, do no I/O and
 * compile everything (patterns, keys, header names) when the chain is built.
 */
@NullMarked
package dev.sluice.agent.filter;

import org.jspecify.annotations.NullMarked;
