/**
 * Incident safety in the console: the audit log, paged and filterable, with Revert (showing what
 * later changes a revert would undo), the countdown of overrides that end by themselves, and
 * Extend with a chosen duration capped by the agent's maximum.
 */
@NullMarked
package dev.sluice.console.safety;

import org.jspecify.annotations.NullMarked;
