package io.github.wacrm.bridge.hubspot;

import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.security.BearerToken;
import io.github.wacrm.bridge.security.SecretFiles;

/**
 * The HubSpot private app's access token ({@code whatsapp.hubspot.access-token}, then the
 * {@code hubspot-access-token} file), as the sink's batches, the workflow action's contact read, the callbacks and the
 * portal setup send it: HubSpot's "rotate token" (the old one expiring at once or within days) needs no restart.
 */
@Component("hubSpotAccessToken")
public class HubSpotAccessToken extends BearerToken {

    public HubSpotAccessToken(HubSpotProperties properties, SecretFiles files) {
        super(properties.accessToken(), files, "hubspot-access-token");
    }
}
