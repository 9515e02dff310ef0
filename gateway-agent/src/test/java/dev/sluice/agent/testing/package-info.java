/** Shared test fixtures: a real upstream HTTP server, an agent launcher, raw-socket HTTP, test bodies. */
@NullMarked
package dev.sluice.agent.testing;

import org.jspecify.annotations.NullMarked;
