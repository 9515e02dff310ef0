/** The append-only audit log of every mutation attempt, as rotated JSON-lines files. */
@NullMarked
package dev.sluice.agent.admin.audit;

import org.jspecify.annotations.NullMarked;
