package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.hubspot.HubSpotBatch.Kind;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.normalize.WebhookNormalizer;
import io.github.wacrm.bridge.support.Fixtures;

/** Facts map to the HubSpot records they touch, every property written exists, and a batch needs few calls. */
class HubSpotMappingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HubSpotFactMapper mapper = new HubSpotFactMapper();

    static HubSpotProperties defaults() {
        StandardEnvironment environment = new StandardEnvironment();
        try {
            new YamlPropertySourceLoader().load("application", new FileSystemResource("application.yaml"))
                    .forEach(environment.getPropertySources()::addLast);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return Binder.get(environment).bind("whatsapp.hubspot", HubSpotProperties.class).get();
    }

    @Test
    void theDefaultsStayInsideHubSpotsBudgetAndBatchLimits() {
        HubSpotProperties properties = defaults();
        assertThat(properties.rateLimit().requests()).isEqualTo(100);
        assertThat(properties.rateLimit().windowMs()).isEqualTo(10_000);
        assertThat(properties.maxInputsPerCall()).isEqualTo(100);
        assertThat(properties.associationTypes()).isEqualTo(new HubSpotProperties.AssociationTypes(81, 83, 202, 16, 194));
        assertThat(properties.objectsPath("contacts", "/batch/upsert")).isEqualTo("/crm/v3/objects/contacts/batch/upsert");
        assertThat(properties.associationsPath("communications", "contacts", "/batch/create"))
                .isEqualTo("/crm/v4/associations/communications/contacts/batch/create");
        HubSpotProperties dated = new HubSpotProperties(true, null, "t", "2026-03", false, 100, 100, 2, null, null, 20,
                null, null, null);
        assertThat(dated.objectsPath("tickets", "/batch/read")).isEqualTo("/crm/objects/2026-03/tickets/batch/read");
        assertThat(dated.propertiesPath("notes", "")).isEqualTo("/crm/properties/2026-03/notes");
        assertThat(dated.associationsPath("notes", "contacts", "/batch/create"))
                .isEqualTo("/crm/associations/2026-03/notes/contacts/batch/create");
    }

    @Test
    void everyPropertyTheSinkWritesIsHubSpotsOwnOrCreatedByTheSetup() {
        HubSpotPortal fresh = new HubSpotPortal();
        Set<String> custom = HubSpotSchema.PROPERTIES.stream().map(p -> p.objectType() + "." + p.name())
                .collect(Collectors.toSet());
        for (HubSpotSchema.ObjectType type : HubSpotSchema.OBJECT_TYPES) {
            assertThat(HubSpotSchema.PROPERTIES).as(type.name() + " id property is unique")
                    .anyMatch(p -> p.objectType().equals(type.name()) && p.name().equals(type.idProperty()) && p.unique());
            type.fields().forEach((logical, property) -> assertThat(custom.contains(type.name() + "." + property)
                    || fresh.property(type.name(), property) != null).as(type.name() + "." + logical + " → " + property)
                    .isTrue());
        }
    }

    @Test
    void anInboundMessageTouchesItsContactACommunicationAndAsksForATicket() throws Exception {
        CanonicalEvent message = fact(EventKind.MESSAGE, """
                {"type": "location", "location": {"latitude": 19.4, "longitude": -99.1, "name": "Zócalo"}}""");
        HubSpotFactMapper.Mapped mapped = mapper.map(message, 4);
        assertThat(mapped.records()).extracting(CrmRecord::type).containsExactly("contacts", "communications");
        CrmRecord contact = mapped.records().get(0);
        assertThat(contact.externalId()).isEqualTo("+525512345678");
        assertThat(contact.values()).containsEntry("e164", "+525512345678").containsEntry("region", "MX")
                .containsEntry("profileName", "Ana María López").containsEntry("lastInboundAt", "2024-11-22T10:06:40Z");
        assertThat(contact.createOnlyValues()).containsEntry("firstName", "Ana").containsEntry("lastName", "María López");
        CrmRecord communication = mapped.records().get(1);
        assertThat(communication.values()).containsEntry("body", "Zócalo, 19.4,-99.1").containsEntry("direction", "inbound")
                .containsEntry("channelType", "WHATS_APP").containsEntry("loggedFrom", "CRM")
                .containsEntry("timestamp", "2024-11-22T10:06:40Z");
        assertThat(communication.references()).containsEntry("contacts", "+525512345678");
        assertThat(mapped.ticketIntent().contactId()).isEqualTo("+525512345678");
        assertThat(mapped.ticketIntent().wamid()).isEqualTo("wamid.X");
    }

    @Test
    void aStatusSetsItsOwnTimeAndKeepsTheMessageTimeForCreation() throws Exception {
        CanonicalEvent status = fact(EventKind.STATUS, """
                {"status": "failed", "errors": [{"code": 131047, "title": "Re-engagement message"}]}""");
        CrmRecord communication = mapper.map(status, 0).records().get(0);
        assertThat(communication.values()).containsEntry("failedAt", "2024-11-22T10:06:40Z")
                .containsEntry("failureCode", "131047").containsEntry("failureTitle", "Re-engagement message")
                .containsEntry("direction", "outbound").doesNotContainKeys("timestamp", "sentAt");
        assertThat(communication.createOnlyValues()).containsEntry("timestamp", "2024-11-22T10:06:40Z");
    }

    @Test
    void longBodiesAreCutBelowHubSpotsLimitNeverInsideAnEmoji() throws Exception {
        CanonicalEvent message = fact(EventKind.MESSAGE, "{\"type\":\"text\",\"text\":\"" + "😀".repeat(40_000) + "\"}");
        String body = (String) mapper.map(message, 0).records().get(1).values().get("body");
        assertThat(body.length()).isLessThanOrEqualTo(HubSpotFactMapper.BODY_LIMIT);
        assertThat(Character.isHighSurrogate(body.charAt(body.length() - 1))).isFalse();
        assertThat(body.codePointCount(0, body.length())).isEqualTo(HubSpotFactMapper.BODY_LIMIT / 2);
    }

    @Test
    void templatesNumbersAndAccountEventsAreNotHubSpots() throws Exception {
        for (EventKind kind : List.of(EventKind.TEMPLATE, EventKind.PHONE_NUMBER, EventKind.ACCOUNT)) {
            assertThat(mapper.map(fact(kind, "{}"), 0).skippedReason()).isEqualTo("kind_not_synced");
        }
    }

    @Test
    void everyGoodSampleWebhookMapsWithoutError() throws Exception {
        PhoneIdentity identity = new PhoneIdentity("");
        WebhookNormalizer normalizer = new WebhookNormalizer(identity);
        try (var files = java.nio.file.Files.list(Path.of("src/test/resources/webhooks"))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("bad-")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".json", "");
                for (CanonicalEvent event : normalizer.normalize(Fixtures.raw(name), "2024-11-22T10:06:41Z")) {
                    HubSpotFactMapper.Mapped mapped = mapper.map(identity.enrich(event), 0);
                    assertThat(mapped.records().isEmpty()).as(name + " " + event.getKindName()).isEqualTo(
                            mapped.skippedReason() != null);
                    for (CrmRecord record : mapped.records()) {
                        HubSpotSchema.ObjectType type = HubSpotSchema.objectType(record.type());
                        record.values().keySet().forEach(type::property);
                        record.createOnlyValues().keySet().forEach(type::property);
                    }
                }
            }
        }
    }

    @Test
    void anUpsertNamesItsUniquePropertyAndSendsFirstValuesOnlyWhenAsked() throws Exception {
        HubSpotRequests requests = new HubSpotRequests(defaults());
        CrmRecord contact = mapper.map(fact(EventKind.MESSAGE, "{\"type\":\"text\",\"text\":\"hi\"}"), 0).records().get(0);
        HubSpotCall call = HubSpotCall.upsert("contacts", List.of(contact));
        JsonNode body = requests.body(call);
        assertThat(requests.path(call)).isEqualTo("/crm/v3/objects/contacts/batch/upsert");
        JsonNode input = body.path("inputs").path(0);
        assertThat(input.path("idProperty").asText()).isEqualTo("whatsapp_id");
        assertThat(input.path("id").asText()).isEqualTo("+525512345678");
        assertThat(input.path("properties").path("mobilephone").asText()).isEqualTo("+525512345678");
        assertThat(input.path("properties").path("whatsapp_id").asText()).isEqualTo("+525512345678");
        assertThat(input.path("properties").has("firstname")).isFalse();
        assertThat(contact.includeCreateOnly()).isTrue();
        assertThat(requests.body(call).path("inputs").path(0).path("properties").path("firstname").asText()).isEqualTo("Ana");
    }

    @Test
    void aBatchOfTenMessagesEachFromAHundredNewCustomersNeedsFifteenCalls() throws Exception {
        HubSpotProperties properties = defaults();
        HubSpotBatch batch = new HubSpotBatch(properties);
        int index = 0;
        for (int customer = 0; customer < 100; customer++) {
            for (int message = 0; message < 10; message++) {
                CanonicalEvent fact = fact(EventKind.MESSAGE, "{\"type\":\"text\",\"text\":\"hi\"}");
                fact.customer.identityKey = "phone:+5255" + (10_000_000 + customer);
                fact.customer.identityHash = "h" + customer;
                fact.messageId = "wamid." + customer + "." + message;
                HubSpotFactMapper.Mapped mapped = mapper.map(fact, index++);
                mapped.records().forEach(batch::add);
                batch.addTicketIntent(mapped.ticketIntent());
            }
        }
        Map<String, Integer> calls = new LinkedHashMap<>();
        int inputs = 0;
        while (batch.hasPendingCalls()) {
            HubSpotCall call = batch.nextCall();
            calls.merge(call.endpoint(), 1, Integer::sum);
            inputs += call.size();
            assertThat(call.size()).isLessThanOrEqualTo(call.kind() == Kind.ASSOCIATE ? 1000 : 100);
            if (call.kind() == Kind.UPSERT) {
                for (CrmRecord record : call.records()) {
                    batch.id(record.type(), record.externalId(), "id-" + record.externalId());
                    if (record.type().equals("tickets")) {
                        batch.ticketWritten(record, "id-" + record.externalId());
                    }
                }
            }
        }
        assertThat(calls).containsExactly(Map.entry("contacts batch/upsert", 1), Map.entry("tickets batch/upsert", 1),
                Map.entry("communications batch/upsert", 10), Map.entry("associations tickets->contacts", 1),
                Map.entry("associations communications->contacts", 1),
                Map.entry("associations communications->tickets", 1));
        assertThat(inputs).isEqualTo(100 + 100 + 1000 + 100 + 1000 + 1000);
    }

    private static CanonicalEvent fact(EventKind kind, String payload) throws Exception {
        CanonicalEvent event = new CanonicalEvent();
        event.kind = kind;
        event.messageId = "wamid.X";
        event.dedupKey = "wamid.X";
        event.phoneNumberId = "106540352242922";
        event.occurredAt = "2024-11-22T10:06:40Z";
        event.payload = (ObjectNode) JSON.readTree(payload);
        Customer customer = new Customer();
        customer.waId = "5215512345678";
        customer.profileName = "Ana María López";
        event.customer = customer;
        return new PhoneIdentity("").enrich(event);
    }
}
