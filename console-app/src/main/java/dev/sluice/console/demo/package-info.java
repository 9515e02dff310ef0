/**
 * Demo mode: a real gateway agent embedded on loopback, sample upstreams, client traffic, and the
 * Demo menu that breaks the upstreams on purpose.
 */
@NullMarked
package dev.sluice.console.demo;

import org.jspecify.annotations.NullMarked;
