package io.github.wacrm.bridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Secrets as files (a mounted Kubernetes Secret: one file per key of {@code k8s/base/secret.template.yaml}) in
 * {@code WHATSAPP_SECRETS_DIR}. At start Spring reads every one of them ({@code spring.config.import: configtree},
 * application.yaml prefers the file to the environment variable); this watches the ones that may change while the
 * bridge runs — the app secrets, the verify token, the operator and outbound API tokens, the WhatsApp access token,
 * the HubSpot token and client secrets —
 * and hands a changed value to whoever uses it, within {@code whatsapp.secrets.reload-ms}. A file that disappears
 * leaves its last value in use. Values are never logged.
 */
@Component
public class SecretFiles implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);

    /** One watched key: what to do with a new value, and the value last applied. */
    private static final class Watch {
        private final Consumer<String> apply;
        private volatile String last;

        Watch(Consumer<String> apply, String last) {
            this.apply = apply;
            this.last = last;
        }
    }

    private final Path dir;
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();
    private final ScheduledExecutorService checks;

    public SecretFiles(@Value("${whatsapp.secrets.dir:}") String dir,
            @Value("${whatsapp.secrets.reload-ms:10000}") long reloadMs) {
        this.dir = dir == null || dir.isBlank() ? null : Path.of(dir);
        if (this.dir == null || !Files.isDirectory(this.dir)) {
            checks = null;
            LOG.info("Secrets from environment variables only (no directory {})", this.dir == null ? "set" : this.dir);
            return;
        }
        checks = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "secret-files");
            thread.setDaemon(true);
            return thread;
        });
        checks.scheduleWithFixedDelay(this::check, reloadMs, reloadMs, TimeUnit.MILLISECONDS);
        LOG.info("Secrets read from {} (checked for changes every {} ms)", this.dir, reloadMs);
    }

    /** Calls {@code apply} with each new value of the file {@code key}; the value at start is already in use. */
    public void watch(String key, Consumer<String> apply) {
        watches.put(key, new Watch(apply, read(key)));
    }

    /** The file's value (trimmed), or null when there is no such file. */
    public String read(String key) {
        if (dir == null) {
            return null;
        }
        Path file = dir.resolve(key);
        try {
            return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
        } catch (IOException unreadable) {
            LOG.warn("Secret file {} could not be read ({}): the value in use stays", file, unreadable.getMessage());
            return null;
        }
    }

    /** One pass over the watched files: each changed value applied. */
    public void check() {
        watches.forEach((key, watch) -> {
            String now = read(key);
            if (now != null && !now.equals(watch.last)) {
                try {
                    watch.apply.accept(now);
                    watch.last = now;
                    LOG.info("Secret {} changed in {}: the new value is in use", key, dir);
                } catch (RuntimeException refused) {
                    LOG.error("Secret {} changed in {} but could not be applied ({}): the previous value stays", key,
                            dir, refused.getMessage());
                }
            }
        });
    }

    @Override
    public void destroy() {
        if (checks != null) {
            checks.shutdownNow();
        }
    }
}
