/** The live list of gateway events. */
@NullMarked
package dev.sluice.console.events;

import org.jspecify.annotations.NullMarked;
