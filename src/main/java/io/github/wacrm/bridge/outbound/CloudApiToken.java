package io.github.wacrm.bridge.outbound;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.security.BearerToken;
import io.github.wacrm.bridge.security.SecretFiles;

/**
 * The WhatsApp Cloud API's access token, as the routes send it ({@code Authorization}: the sends, the template and
 * number syncs). A changed {@code whatsapp-access-token} file is in use from the next call on ({@link SecretFiles}):
 * a token Meta refused (expired, revoked) is replaced without a restart, and the sends it held back go out.
 */
@Component("cloudApiToken")
public class CloudApiToken extends BearerToken {

    public CloudApiToken(@Value("${whatsapp.cloud-api.access-token:}") String token, SecretFiles files) {
        super(token, files, "whatsapp-access-token");
    }
}
