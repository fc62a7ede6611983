package io.github.wacrm.bridge.intake;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code whatsapp.webhook.*} settings.
 *
 * @param path         where Meta POSTs webhooks and GETs the subscription handshake
 * @param verifyToken  the token typed into the Meta app dashboard for the handshake; empty refuses every handshake
 * @param appSecrets   app secrets whose HMAC is accepted; two during a rotation
 * @param maxBodyBytes largest body accepted; larger ones get 413
 */
@ConfigurationProperties("whatsapp.webhook")
public record WebhookProperties(
        @DefaultValue("/webhooks/whatsapp") String path,
        @DefaultValue("") String verifyToken,
        @DefaultValue List<String> appSecrets,
        @DefaultValue("3MB") DataSize maxBodyBytes) {
}
