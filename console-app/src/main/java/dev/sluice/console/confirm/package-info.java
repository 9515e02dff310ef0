/** The one confirmation step every destructive action goes through: blast radius, reason, go. */
@NullMarked
package dev.sluice.console.confirm;

import org.jspecify.annotations.NullMarked;
