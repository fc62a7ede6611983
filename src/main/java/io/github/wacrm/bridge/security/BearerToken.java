package io.github.wacrm.bridge.security;

/**
 * A bearer token the bridge sends to a service, as configured at start and then as its secret file says
 * ({@link SecretFiles}): a changed file is in use from the next call on, so a rotated token needs no restart.
 */
public class BearerToken {

    private volatile String token;

    protected BearerToken(String configured, SecretFiles files, String fileKey) {
        this.token = configured == null ? "" : configured.strip();
        files.watch(fileKey, value -> this.token = value.strip());
    }

    /** The {@code Authorization} header's value. */
    public String bearer() {
        return "Bearer " + token;
    }
}
