package dev.sluice.agent.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an action on {@code SIGHUP} (the conventional "reload your config" signal). Uses
 * {@code sun.misc.Signal}, which not every JVM or OS offers: when it is missing the agent logs that
 * and carries on, since file watching reloads as well.
 */
final class HangupSignal {

    private static final Logger LOG = LoggerFactory.getLogger(HangupSignal.class);

    private HangupSignal() {}

    static void install(Runnable action) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
                LOG.info("SIGHUP received; reloading the config");
                action.run();
            });
        } catch (IllegalArgumentException | LinkageError e) {
            LOG.warn("SIGHUP reload is not available on this JVM ({}); the config file is still watched", e.toString());
        }
    }
}
