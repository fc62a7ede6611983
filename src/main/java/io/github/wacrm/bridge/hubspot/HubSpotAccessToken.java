package io.github.wacrm.bridge.hubspot;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.security.SecretFiles;

/**
 * The HubSpot private app's access token, as the routes and the setup command send it ({@code Authorization}: the
 * sink's batches, the workflow action's contact read, the callbacks, the portal setup). A changed
 * {@code hubspot-access-token} file is in use from the next call on ({@link SecretFiles}): HubSpot's "rotate token"
 * (the old one expiring at once or within days) needs no restart.
 */
@Component("hubSpotAccessToken")
public class HubSpotAccessToken {

    private volatile String token;

    public HubSpotAccessToken(@Value("${whatsapp.hubspot.access-token:}") String token, SecretFiles files) {
        this.token = token == null ? "" : token.strip();
        files.watch("hubspot-access-token", value -> this.token = value.strip());
    }

    /** The {@code Authorization} header's value. */
    public String bearer() {
        return "Bearer " + token;
    }
}
