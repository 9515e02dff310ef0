/**
 * Incident safety in the console: the audit log with Revert (showing what later changes a revert
 * would undo), and the countdown of overrides that end by themselves.
 */
@NullMarked
package dev.sluice.console.safety;

import org.jspecify.annotations.NullMarked;
