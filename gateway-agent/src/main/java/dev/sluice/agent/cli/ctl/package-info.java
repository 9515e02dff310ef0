/**
 * {@code sluice-agent ctl}: the admin API from a shell — status, routes, breakers, instances,
 * events and audit as aligned tables or JSON, and every mutation with a required reason and exit
 * codes that tell invalid input, refusal, conflict, a safety rule and not-found apart.
 */
@NullMarked
package dev.sluice.agent.cli.ctl;

import org.jspecify.annotations.NullMarked;
