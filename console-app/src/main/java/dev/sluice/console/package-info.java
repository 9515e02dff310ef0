/** The Sluice desktop console: launcher, main window and the wiring between its parts. */
@NullMarked
package dev.sluice.console;

import org.jspecify.annotations.NullMarked;
