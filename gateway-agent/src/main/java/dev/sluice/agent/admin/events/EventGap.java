package dev.sluice.agent.admin.events;

/**
 * A reader asked for events the bounded log no longer holds (or, after an agent restart, for a
 * sequence it never reached); reading resumes at {@code oldestAvailableSequence}.
 */
public record EventGap(long requestedSequence, long oldestAvailableSequence) {}
