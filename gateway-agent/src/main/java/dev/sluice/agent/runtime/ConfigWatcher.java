package dev.sluice.agent.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the config file on its own thread and calls back when its content changes. Content, not
 * the modification time, is compared: editors and {@code mv} can keep the time within one tick.
 * A rejected file is not retried until it changes again.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Runnable onChange;
    private final ScheduledExecutorService executor;
    private byte[] lastSeen;

    ConfigWatcher(Path file, Duration interval, Runnable onChange) {
        this.file = file;
        this.onChange = onChange;
        this.lastSeen = read();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "sluice-config-watch");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void check() {
        try {
            byte[] now = read();
            if (!Arrays.equals(now, lastSeen)) {
                lastSeen = now;
                LOG.info("{} changed; reloading", file);
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("config reload from {} failed unexpectedly", file, e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
