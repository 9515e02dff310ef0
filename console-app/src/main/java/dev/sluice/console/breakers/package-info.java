/** Circuit breakers per service: computed state, operator override, and the trip/force-close/reset commands. */
@NullMarked
package dev.sluice.console.breakers;

import org.jspecify.annotations.NullMarked;
