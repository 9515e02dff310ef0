/**
 * The fleet view: agents reporting the same cluster shown together, per-route figures from merged
 * histograms and summed counts, with a drill-down to each agent.
 */
@NullMarked
package dev.sluice.console.fleet;

import org.jspecify.annotations.NullMarked;
