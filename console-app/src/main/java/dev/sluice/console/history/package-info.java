/**
 * The agent's telemetry history in the console: per-route timelines loaded on attach and extended
 * by live frames, event annotations for the charts, the scrubbable history chart, and the incident
 * export.
 */
@NullMarked
package dev.sluice.console.history;

import org.jspecify.annotations.NullMarked;
