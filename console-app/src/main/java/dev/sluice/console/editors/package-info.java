/**
 * The route and rate-limit editors: forms that check as the operator types, the gateway's dry run,
 * a before/after diff, a required reason, and the version-conflict dialog.
 */
@NullMarked
package dev.sluice.console.editors;

import org.jspecify.annotations.NullMarked;
