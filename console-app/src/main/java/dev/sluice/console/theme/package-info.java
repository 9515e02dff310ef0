/** Light and dark themes: which stylesheets apply and which one the user chose last. */
@NullMarked
package dev.sluice.console.theme;

import org.jspecify.annotations.NullMarked;
