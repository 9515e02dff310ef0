/**
 * Attaching a gateway: the Attach dialog, its form rules, and saved connection profiles (JSON in
 * the user's config directory, never with a token; tokens live in memory for the session).
 */
@NullMarked
package dev.sluice.console.attach;

import org.jspecify.annotations.NullMarked;
