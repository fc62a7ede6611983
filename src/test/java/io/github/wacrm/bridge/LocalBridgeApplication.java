package io.github.wacrm.bridge;

import io.github.wacrm.bridge.support.DevServices;

/**
 * {@code mvn spring-boot:test-run}: the real application with an embedded Kafka broker and PostgreSQL, and dev
 * secrets unless {@code WHATSAPP_APP_SECRETS} / {@code WHATSAPP_VERIFY_TOKEN} are set.
 */
public final class LocalBridgeApplication {

    private LocalBridgeApplication() {
    }

    public static void main(String[] args) {
        if (System.getProperty(DevServices.SALESFORCE_PORT_PROPERTY) == null) {
            System.setProperty(DevServices.SALESFORCE_PORT_PROPERTY,
                    System.getenv().getOrDefault("SALESFORCE_EMULATOR_PORT", "8091"));
        }
        DevServices services = DevServices.get();
        services.applicationProperties().forEach(System::setProperty);
        if (System.getenv("WHATSAPP_APP_SECRETS") == null) {
            System.setProperty("whatsapp.webhook.app-secrets", DevServices.DEV_APP_SECRET);
        }
        if (System.getenv("WHATSAPP_VERIFY_TOKEN") == null) {
            System.setProperty("whatsapp.webhook.verify-token", DevServices.DEV_VERIFY_TOKEN);
        }
        System.out.println();
        System.out.println("=== WhatsApp CRM bridge, local run ===");
        System.out.println("Kafka (embedded KRaft):   " + services.kafkaBrokers());
        System.out.println("PostgreSQL (embedded):    " + services.jdbcUrl());
        System.out.println("Webhook app secret:       " + System.getProperty("whatsapp.webhook.app-secrets", "(from WHATSAPP_APP_SECRETS)"));
        System.out.println("Salesforce (emulator):    " + services.salesforce().baseUrl()
                + "  (curl -H 'Authorization: Bearer <token from /services/oauth2/token>' .../services/data/v62.0/query?q=...)");
        System.out.println("Send samples with:        src/test/scripts/send-sample-webhooks.sh");
        System.out.println();
        BridgeApplication.main(args);
    }
}
