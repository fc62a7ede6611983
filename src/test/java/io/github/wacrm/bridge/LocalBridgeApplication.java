package io.github.wacrm.bridge;

import io.github.wacrm.bridge.support.DevServices;

/**
 * {@code mvn spring-boot:test-run}: the real application with an embedded Kafka broker and PostgreSQL, the Salesforce
 * (port 8091, its Pub/Sub API on 8094) and HubSpot (port 8092) emulators, the WhatsApp Cloud API emulator (8093), and dev secrets unless {@code WHATSAPP_APP_SECRETS} /
 * {@code WHATSAPP_VERIFY_TOKEN} are set.
 */
public final class LocalBridgeApplication {

    private LocalBridgeApplication() {
    }

    public static void main(String[] args) {
        if (System.getProperty(DevServices.SALESFORCE_PORT_PROPERTY) == null) {
            System.setProperty(DevServices.SALESFORCE_PORT_PROPERTY,
                    System.getenv().getOrDefault("SALESFORCE_EMULATOR_PORT", "8091"));
        }
        if (System.getProperty(DevServices.SALESFORCE_PUBSUB_PORT_PROPERTY) == null) {
            System.setProperty(DevServices.SALESFORCE_PUBSUB_PORT_PROPERTY,
                    System.getenv().getOrDefault("SALESFORCE_PUBSUB_EMULATOR_PORT", "8094"));
        }
        if (System.getProperty(DevServices.HUBSPOT_PORT_PROPERTY) == null) {
            System.setProperty(DevServices.HUBSPOT_PORT_PROPERTY,
                    System.getenv().getOrDefault("HUBSPOT_EMULATOR_PORT", "8092"));
        }
        if (System.getProperty(DevServices.WHATSAPP_PORT_PROPERTY) == null) {
            System.setProperty(DevServices.WHATSAPP_PORT_PROPERTY,
                    System.getenv().getOrDefault("WHATSAPP_EMULATOR_PORT", "8093"));
        }
        System.setProperty(DevServices.HUBSPOT_ANY_TOKEN_PROPERTY, "true");
        DevServices services = DevServices.get();
        services.applicationProperties().forEach(System::setProperty);
        // the emulated portal starts empty: the bridge creates its properties there, as the setup command would
        System.setProperty("HUBSPOT_CREATE_MISSING_PROPERTIES", "true");
        if (System.getenv("WHATSAPP_APP_SECRETS") == null) {
            System.setProperty("whatsapp.webhook.app-secrets", DevServices.DEV_APP_SECRET);
        }
        if (System.getenv("WHATSAPP_VERIFY_TOKEN") == null) {
            System.setProperty("whatsapp.webhook.verify-token", DevServices.DEV_VERIFY_TOKEN);
        }
        String webhookPort = System.getenv().getOrDefault("PORT", "8080");
        services.whatsapp().deliverStatusesTo("http://127.0.0.1:" + webhookPort + "/webhooks/whatsapp",
                System.getProperty("whatsapp.webhook.app-secrets", DevServices.DEV_APP_SECRET).split(",")[0]);
        if (System.getenv("WHATSAPP_OUTBOUND_API_TOKEN") == null) {
            System.setProperty("WHATSAPP_OUTBOUND_API_TOKEN", DevServices.DEV_OUTBOUND_TOKEN);
        }
        if (System.getenv("WHATSAPP_OPERATOR_TOKEN") == null) {
            System.setProperty("WHATSAPP_OPERATOR_TOKEN", DevServices.DEV_OPERATOR_TOKEN);
        }
        if (System.getProperty("whatsapp.operators.tokens.dpo") == null) {
            // the erasure role is given by name only: a token of its own for the local run
            System.setProperty("whatsapp.operators.tokens.dpo", DevServices.DEV_ERASURE_TOKEN);
            System.setProperty("whatsapp.operators.roles.dpo", "erasure");
        }
        System.out.println();
        System.out.println("=== WhatsApp CRM bridge, local run ===");
        System.out.println("Kafka (embedded KRaft):   " + services.kafkaBrokers());
        System.out.println("PostgreSQL (embedded):    " + services.jdbcUrl());
        System.out.println("Webhook app secret:       " + System.getProperty("whatsapp.webhook.app-secrets", "(from WHATSAPP_APP_SECRETS)"));
        System.out.println("Salesforce (emulator):    " + services.salesforce().baseUrl()
                + "  (curl -H 'Authorization: Bearer <token from /services/oauth2/token>' .../services/data/v62.0/query?q=...)");
        System.out.println("Salesforce Pub/Sub API:   127.0.0.1:" + services.salesforce().pubSubPort()
                + "  (publish WhatsApp_Send__e: POST .../services/data/v62.0/sobjects/WhatsApp_Send__e)");
        System.out.println("HubSpot (emulator):       " + services.hubspot().baseUrl()
                + "  (any token: curl -H 'Authorization: Bearer x' .../crm/v3/objects/contacts/search -d '{}')");
        System.out.println("WhatsApp (emulator):      " + services.whatsapp().baseUrl()
                + "  (templates order_update, spring_sale, old_promo; statuses posted back to the webhook)");
        System.out.println("Outbound API:             http://localhost:" + System.getenv().getOrDefault("OUTBOUND_API_PORT",
                "8082") + "/api/v1/messages  (token " + System.getProperty("WHATSAPP_OUTBOUND_API_TOKEN",
                        "from WHATSAPP_OUTBOUND_API_TOKEN") + ")");
        System.out.println("HubSpot workflow action:  http://localhost:" + System.getenv().getOrDefault("OUTBOUND_API_PORT",
                "8082") + "/hubspot/v1/actions/whatsapp-send  (signed for " + DevServices.DEV_HUBSPOT_ACTION_URL
                + " with the app secret " + DevServices.DEV_HUBSPOT_APP_SECRET + ")");
        System.out.println("Operator token:           " + System.getProperty("WHATSAPP_OPERATOR_TOKEN",
                "from WHATSAPP_OPERATOR_TOKEN") + "  (curl -H 'Authorization: Bearer <token>' -X POST "
                + "localhost:8081/actuator/deadletters/webhooks; health and prometheus need none)");
        System.out.println("Erasure token:            " + System.getProperty("whatsapp.operators.tokens.dpo")
                + "  (role erasure only: POST localhost:8081/actuator/erasure -d '{\"phone\": \"+16505551234\"}')");
        System.out.println("Send samples with:        src/test/scripts/send-sample-webhooks.sh");
        System.out.println();
        BridgeApplication.main(args);
    }
}
