package dev.sluice.agent.filter;

/**
 * What a filter decides about a request: {@link #CONTINUE} (the shared singleton) or an answer from
 * the gateway — a {@link Rejection} (an error envelope, counted by reason) or a {@link Reply} (a
 * successful answer such as a CORS preflight). Compare with {@code ==} against {@link #CONTINUE}.
 */
public sealed interface FilterDecision permits FilterDecision.Continue, Rejection, Reply {

    FilterDecision CONTINUE = Continue.INSTANCE;

    /** The request goes on to the next filter and then to the upstream. */
    enum Continue implements FilterDecision { INSTANCE }
}
