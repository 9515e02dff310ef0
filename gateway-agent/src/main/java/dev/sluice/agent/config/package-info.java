/**
 * The agent's YAML configuration: immutable records, a loader that reads a file into them and a
 * validator that reports every violation at once as (field path, message).
 */
@NullMarked
package dev.sluice.agent.config;

import org.jspecify.annotations.NullMarked;
