/** The bounded in-memory event log: what happened on the agent, in sequence order. */
@NullMarked
package dev.sluice.agent.admin.events;

import org.jspecify.annotations.NullMarked;
