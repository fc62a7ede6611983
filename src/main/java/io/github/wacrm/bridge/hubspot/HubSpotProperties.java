package io.github.wacrm.bridge.hubspot;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.github.wacrm.bridge.crm.BreakerSettings;

/**
 * {@code whatsapp.hubspot.*}: where and how the HubSpot sink writes. The property names it writes are fixed (see
 * {@link HubSpotSchema}); the setup command creates them.
 *
 * @param enabled                  whether the sink starts (once the portal has the bridge's properties)
 * @param baseUrl                  {@code https://api.hubapi.com}, or the local emulator
 * @param accessToken              the private app's access token (Bearer)
 * @param apiVersion               {@code v3} (paths {@code /crm/v3/objects}, {@code /crm/v4/associations}) or a date
 *                                 version such as {@code 2026-03} (paths {@code /crm/objects/2026-03/...})
 * @param createMissingProperties  create missing properties at start (needs the schema scope); else only check
 * @param maxInputsPerCall         inputs per batch upsert/update/read (HubSpot allows 100)
 * @param maxAssociationsPerCall   inputs per v4 batch association call
 * @param inputRetries             how often inputs HubSpot refused in a 207 are sent again before they are dead-lettered
 * @param rateLimit                the client-side budget of this pod (HubSpot's is per portal: split it between pods)
 * @param retry                    backoff for 5xx and timeouts within one batch
 * @param maxThrottledWaits        429 TEN_SECONDLY_ROLLING answers waited out per call before the batch is retried
 * @param tickets                  one ticket per conversation
 * @param associationTypes         HUBSPOT_DEFINED association type ids
 * @param breaker                  the circuit breaker around every HubSpot call
 */
@ConfigurationProperties("whatsapp.hubspot")
public record HubSpotProperties(boolean enabled, String baseUrl, String accessToken, String apiVersion,
        boolean createMissingProperties, int maxInputsPerCall, int maxAssociationsPerCall, int inputRetries,
        RateLimit rateLimit, Retry retry, int maxThrottledWaits, Tickets tickets, AssociationTypes associationTypes,
        BreakerSettings breaker) {

    public HubSpotProperties {
        if (maxInputsPerCall < 1 || maxInputsPerCall > 100) {
            throw new IllegalArgumentException("whatsapp.hubspot.max-inputs-per-call must be 1..100");
        }
        if (maxAssociationsPerCall < 1 || maxAssociationsPerCall > 2000) {
            throw new IllegalArgumentException("whatsapp.hubspot.max-associations-per-call must be 1..2000");
        }
        apiVersion = apiVersion == null || apiVersion.isBlank() ? "v3" : apiVersion.trim();
        baseUrl = baseUrl == null ? "https://api.hubapi.com" : baseUrl.replaceAll("/+$", "");
        rateLimit = rateLimit == null ? new RateLimit(100, 10_000) : rateLimit;
        retry = retry == null ? new Retry(4, 500, 8_000) : retry;
        tickets = tickets == null ? new Tickets(true, "0", "1", List.of("4"), "WhatsApp conversation") : tickets;
        associationTypes = associationTypes == null ? new AssociationTypes(81, 83, 202, 16, 194) : associationTypes;
        breaker = breaker == null ? BreakerSettings.DEFAULTS : breaker;
    }

    /** Path of an objects endpoint: {@code /crm/v3/objects/contacts/batch/upsert} or its date-versioned form. */
    public String objectsPath(String objectType, String rest) {
        return ("v3".equals(apiVersion) ? "/crm/v3/objects/" : "/crm/objects/" + apiVersion + "/") + objectType + rest;
    }

    public String propertiesPath(String objectType, String rest) {
        return ("v3".equals(apiVersion) ? "/crm/v3/properties/" : "/crm/properties/" + apiVersion + "/") + objectType
                + rest;
    }

    /** Path of an object type's pipelines: {@code /crm/v3/pipelines/tickets} or its date-versioned form. */
    public String pipelinesPath(String objectType) {
        return ("v3".equals(apiVersion) ? "/crm/v3/pipelines/" : "/crm/pipelines/" + apiVersion + "/") + objectType;
    }

    /** Path of the files API's upload: {@code /files/v3/files} or its date-versioned form. */
    public String filesPath() {
        return "v3".equals(apiVersion) ? "/files/v3/files" : "/files/" + apiVersion + "/files";
    }

    public String associationsPath(String from, String to, String rest) {
        return ("v3".equals(apiVersion) ? "/crm/v4/associations/" : "/crm/associations/" + apiVersion + "/") + from + "/"
                + to + rest;
    }

    /** At most {@code requests} calls in any {@code windowMs} (HubSpot: 100 to 190 per 10 s by tier). */
    public record RateLimit(int requests, long windowMs) {

        public RateLimit {
            if (requests < 1 || windowMs < 1) {
                throw new IllegalArgumentException("whatsapp.hubspot.rate-limit needs requests >= 1 and window-ms >= 1");
            }
        }
    }

    public record Retry(int maxAttempts, long initialDelayMs, long maxDelayMs) {
    }

    /**
     * @param enabled      whether inbound conversations open tickets
     * @param pipeline     the ticket pipeline id
     * @param stage        the pipeline stage id of a new ticket
     * @param closedStages stage ids that mean the ticket is closed (a new message then opens a new ticket)
     * @param subject      subject of a new ticket
     */
    public record Tickets(boolean enabled, String pipeline, String stage, List<String> closedStages, String subject) {

        public Tickets {
            closedStages = closedStages == null ? List.of() : List.copyOf(closedStages);
        }
    }

    public record AssociationTypes(int communicationToContact, int communicationToTicket, int noteToContact,
            int ticketToContact, int callToContact) {

        public AssociationTypes {
            callToContact = callToContact > 0 ? callToContact : 194;
        }
    }

}
