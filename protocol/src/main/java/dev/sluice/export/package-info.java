/**
 * The incident export: a documented, versioned file (a zip of {@code incident.json} and chart
 * PNGs) that saves one time window of one agent for a postmortem. Written by {@code ctl export} and
 * the console, read by {@link dev.sluice.export.IncidentExportReader} or any JSON tool.
 */
@NullMarked
package dev.sluice.export;

import org.jspecify.annotations.NullMarked;
