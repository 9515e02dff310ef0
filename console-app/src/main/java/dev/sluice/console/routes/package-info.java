/** The route tree: rows built from the snapshot with live traffic figures, and its view. */
@NullMarked
package dev.sluice.console.routes;

import org.jspecify.annotations.NullMarked;
