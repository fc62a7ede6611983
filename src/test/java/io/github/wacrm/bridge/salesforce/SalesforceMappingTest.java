package io.github.wacrm.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.crm.CrmRecord;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceSchema;
import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.event.EventKind;
import io.github.wacrm.bridge.normalize.WebhookNormalizer;
import io.github.wacrm.bridge.support.Fixtures;

/**
 * The default mapping (salesforce/salesforce-mapping.yaml, imported by application.yaml) matches the shipped metadata,
 * and facts map to the records they touch.
 */
class SalesforceMappingTest {

    static SalesforceProperties defaults() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        new YamlPropertySourceLoader().load("application", new FileSystemResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        new YamlPropertySourceLoader().load("salesforce-mapping",
                new FileSystemResource("salesforce/salesforce-mapping.yaml")).forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bind("whatsapp.salesforce", SalesforceProperties.class).get();
    }

    @Test
    void everyMappedFieldExistsInTheShippedMetadataWithTheSizeTheMapperCutsTo() throws Exception {
        SalesforceSchema schema = SalesforceSchema.fromMetadata(Path.of("salesforce/force-app"));
        SalesforceProperties properties = defaults();
        assertThat(properties.objects()).containsOnlyKeys("contact", "lead", "case", "message", "template",
                "phone-number", "account-event");
        properties.objects().forEach((type, mapping) -> {
            SalesforceSchema.SObject object = schema.object(mapping.object()).orElseThrow(() -> new AssertionError(mapping.object()));
            assertThat(object.fields().get(mapping.externalId())).as(type + " external id").isNotNull()
                    .satisfies(f -> assertThat(f.externalId()).isTrue());
            mapping.fields().forEach((logical, api) -> {
                if (properties.objects().containsKey(logical)) {
                    assertThat(relationshipExists(object, api)).as(type + "." + logical + " → " + api).isTrue();
                    return;
                }
                SalesforceSchema.Field field = object.fields().get(api);
                assertThat(field).as(type + "." + logical + " → " + api).isNotNull();
                if (field.type().equals("Text") || field.type().equals("LongTextArea")) {
                    assertThat(SalesforceTextLimits.of(logical))
                            .as("cut size of " + type + "." + logical).isEqualTo(field.length());
                }
            });
        });
    }

    private static boolean relationshipExists(SalesforceSchema.SObject object, String relationship) {
        return object.fields().values().stream().anyMatch(f -> relationship.equals(f.relationshipName()));
    }

    @Test
    void bodiesAreCutInUtf16UnitsAsSalesforceCountsThemNeverSplittingAnEmoji() {
        String emoji = "😀";
        String text = emoji.repeat(40_000);
        String cut = SalesforceTextLimits.cut("body", text);
        assertThat(cut.length()).isEqualTo(32768);
        assertThat(cut.codePointCount(0, cut.length())).isEqualTo(16384);
        assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 1))).isFalse();
        assertThat(SalesforceTextLimits.cut("region", "USA")).isEqualTo("US");
    }

    @Test
    void aFailedStatusCarriesItsTimeCodeAndTitle() throws Exception {
        SalesforceFactMapper mapper = new SalesforceFactMapper(defaults());
        CanonicalEvent status = fact(EventKind.STATUS, """
                {"status": "failed", "errors": [{"code": 131047, "title": "Re-engagement message"}],
                 "pricing": {"category": "service"}}""");
        CrmRecord message = mapper.map(status, 0).records().get(0);
        assertThat(message.values()).containsEntry("failedAt", "2024-11-22T10:06:40Z").containsEntry("failureCode", 131047)
                .containsEntry("failureTitle", "Re-engagement message").containsEntry("pricingCategory", "service");
        assertThat(message.values()).doesNotContainKeys("sentAt", "direction");
    }

    @Test
    void statusesMergeIntoOneRecordWhateverTheOrder() {
        CrmRecord read = new CrmRecord("message", "w").put("readAt", "2024-01-01T10:00:05Z").fact(1);
        CrmRecord delivered = new CrmRecord("message", "w").put("deliveredAt", "2024-01-01T10:00:03Z").fact(2);
        CrmRecord deliveredAgain = new CrmRecord("message", "w").put("deliveredAt", "2024-01-01T10:00:09Z").fact(3);
        read.merge(delivered);
        read.merge(deliveredAgain);
        assertThat(read.values()).containsEntry("readAt", "2024-01-01T10:00:05Z")
                .containsEntry("deliveredAt", "2024-01-01T10:00:03Z");
        assertThat(read.facts()).containsExactly(1, 2, 3);
    }

    @Test
    void theLastInboundTimeNeverMovesBackwardsInABatch() {
        CrmRecord newer = new CrmRecord("contact", "+1").put("lastInboundAt", "2024-01-01T10:00:00.500Z");
        newer.merge(new CrmRecord("contact", "+1").put("lastInboundAt", "2024-01-01T10:00:00Z"));
        assertThat(newer.values()).containsEntry("lastInboundAt", "2024-01-01T10:00:00.500Z");
    }

    @Test
    void anInboundMessageTouchesItsPersonItsMessageAndAsksForACase() throws Exception {
        SalesforceFactMapper mapper = new SalesforceFactMapper(defaults());
        CanonicalEvent message = fact(EventKind.MESSAGE, """
                {"type": "location", "location": {"latitude": 19.4, "longitude": -99.1, "name": "Zócalo"}}""");
        SalesforceFactMapper.Mapped mapped = mapper.map(message, 4);
        assertThat(mapped.records()).extracting(CrmRecord::type).containsExactly("contact", "message");
        assertThat(mapped.records().get(0).createOnlyValues()).containsEntry("lastName", "Ana");
        assertThat(mapped.records().get(1).values()).containsEntry("body", "Zócalo, 19.4,-99.1")
                .containsEntry("direction", "Inbound");
        assertThat(mapped.records().get(1).references()).containsEntry("contact", "+525512345678");
        assertThat(mapped.caseIntent()).isEqualTo(new SalesforceFactMapper.CaseIntent("+525512345678", "wamid.X",
                "106540352242922", 4));
    }

    @Test
    void aMessageLinksItsBusinessNumbersIdOnceSalesforceHasWrittenTheLinkNoMore() throws Exception {
        PhoneNumberLinks links = new PhoneNumberLinks();
        SalesforceFactMapper mapper = new SalesforceFactMapper(defaults(), links);
        CanonicalEvent message = fact(EventKind.MESSAGE, "{\"type\": \"text\", \"text\": \"hi\"}");
        message.businessDisplayPhone = "15550783881";
        CrmRecord link = mapper.map(message, 0).records().get(2);
        assertThat(link.type()).isEqualTo("phone-number");
        assertThat(link.externalId()).isEqualTo("+15550783881");
        assertThat(link.values()).containsEntry("phoneNumberId", "106540352242922");
        links.linked("+15550783881", "106540352242922");
        assertThat(mapper.map(message, 0).records()).extracting(CrmRecord::type).containsExactly("contact", "message");
    }

    @Test
    void aQualityUpdateWithoutPhoneNumberIdIsKeyedByItsDisplayNumber() throws Exception {
        SalesforceFactMapper mapper = new SalesforceFactMapper(defaults());
        CanonicalEvent quality = fact(EventKind.PHONE_NUMBER,
                "{\"displayPhoneNumber\": \"15550783881\", \"event\": \"FLAGGED\", \"currentLimit\": \"TIER_1K\"}");
        quality.phoneNumberId = null;
        quality.field = "phone_number_quality_update";
        CrmRecord number = mapper.map(quality, 0).records().get(0);
        assertThat(number.externalId()).isEqualTo("+15550783881");
        assertThat(number.values()).containsEntry("qualityEvent", "FLAGGED").containsEntry("messagingTier", "TIER_1K")
                .doesNotContainKey("phoneNumberId");
    }

    private static CanonicalEvent fact(EventKind kind, String payload) throws Exception {
        CanonicalEvent event = new CanonicalEvent();
        event.kind = kind;
        event.messageId = "wamid.X";
        event.phoneNumberId = "106540352242922";
        event.occurredAt = "2024-11-22T10:06:40Z";
        event.payload = (ObjectNode) new ObjectMapper().readTree(payload);
        Customer customer = new Customer();
        customer.waId = "5215512345678";
        customer.profileName = "Ana";
        event.customer = customer;
        return new PhoneIdentity("").enrich(event);
    }

    @Test
    void everyGoodSampleWebhookMapsWithoutError() throws Exception {
        SalesforceFactMapper mapper = new SalesforceFactMapper(defaults());
        PhoneIdentity identity = new PhoneIdentity("");
        WebhookNormalizer normalizer = new WebhookNormalizer(identity);
        try (var files = java.nio.file.Files.list(Path.of("src/test/resources/webhooks"))) {
            for (Path file : files.filter(f -> !f.getFileName().toString().startsWith("bad-")).sorted().toList()) {
                String name = file.getFileName().toString().replace(".json", "");
                for (CanonicalEvent event : normalizer.normalize(Fixtures.raw(name), "2024-11-22T10:06:41Z")) {
                    SalesforceFactMapper.Mapped mapped = mapper.map(identity.enrich(event), 0);
                    assertThat(mapped.records().isEmpty()).as(name + " " + event.getKindName() + " " + mapped.skippedReason())
                            .isEqualTo(mapped.skippedReason() != null);
                }
            }
        }
        CanonicalEvent bare = new CanonicalEvent();
        for (EventKind kind : EventKind.values()) {
            bare.kind = kind;
            assertThat(mapper.map(bare, 0)).as(kind.name()).isNotNull();
        }
    }

    @Test
    void modesAreChosenByBusinessNumber() {
        SalesforceProperties.Conversations conversations = new SalesforceProperties.Conversations(
                SalesforceProperties.ConversationMode.CASE, Map.of("42", SalesforceProperties.ConversationMode.LEAD),
                null, null, null);
        assertThat(conversations.modeFor("42")).isEqualTo(SalesforceProperties.ConversationMode.LEAD);
        assertThat(conversations.modeFor("7")).isEqualTo(SalesforceProperties.ConversationMode.CASE);
    }
}
