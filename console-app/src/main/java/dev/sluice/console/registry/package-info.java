/** Services and their instances: health, drains, and the drain/undrain commands. */
@NullMarked
package dev.sluice.console.registry;

import org.jspecify.annotations.NullMarked;
