package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The setup command creates the bridge's properties once; the check at start names what is missing. */
class HubSpotPortalSetupTest {

    private static HubSpotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = HubSpotEmulator.start(0, "pat-setup");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void newPortal() {
        emulator.recover();
        emulator.portal().reset();
        emulator.budget(100, 10_000, 250_000);
    }

    @Test
    void aNewPortalLacksEveryPropertyAndTheSetupCreatesThemOnce() throws Exception {
        HubSpotPortalSetup setup = setup("v3", "pat-setup", false);
        HubSpotPortalSetup.Report before = setup.check();
        assertThat(before.ready()).isFalse();
        assertThat(before.missing()).hasSize(HubSpotSchema.PROPERTIES.size())
                .contains("contacts.whatsapp_id", "communications.whatsapp_message_id", "tickets.whatsapp_conversation_key",
                        "notes.whatsapp_event_id");

        HubSpotPortalSetup.Report created = setup.setup();
        assertThat(created.ready()).isTrue();
        assertThat(created.created()).hasSize(HubSpotSchema.PROPERTIES.size());
        assertThat(emulator.portal().property("contacts", "whatsapp_id").unique()).isTrue();
        assertThat(emulator.portal().property("communications", "whatsapp_sent_at").type()).isEqualTo("datetime");
        assertThat(emulator.portal().groups("tickets")).contains("whatsapp");

        HubSpotPortalSetup.Report again = setup.setup();
        assertThat(again.ready()).isTrue();
        assertThat(again.created()).isEmpty();
        assertThat(setup.check().ready()).isTrue();
    }

    @Test
    void theDateVersionedPathsWorkTheSame() throws Exception {
        HubSpotPortalSetup setup = setup("2026-03", "pat-setup", false);
        assertThat(setup.setup().created()).hasSize(HubSpotSchema.PROPERTIES.size());
        assertThat(emulator.calls()).anySatisfy(call -> assertThat(call.endpoint()).isEqualTo("properties contacts"));
    }

    @Test
    void aPropertyThatExistsWithoutUniqueValuesIsReported() throws Exception {
        emulator.portal().createGroup("contacts", "whatsapp");
        emulator.portal().createProperty("contacts", new HubSpotPortal.Property("whatsapp_id", "WhatsApp ID", "string",
                "text", "whatsapp", false, true, List.of()));
        HubSpotPortalSetup.Report report = setup("v3", "pat-setup", false).setup();
        assertThat(report.ready()).isFalse();
        assertThat(report.notUnique()).containsExactly("contacts.whatsapp_id");
    }

    @Test
    void aWrongTokenIsNamedInTheError() {
        assertThatThrownBy(() -> setup("v3", "wrong", false).check()).isInstanceOf(IOException.class)
                .hasMessageContaining("HUBSPOT_ACCESS_TOKEN");
    }

    @Test
    void aPortalThatCannotBeAskedIsCheckedAgainLater() {
        assertThat(setup("v3", "wrong", true).readyForSink()).isFalse();
        emulator.goDown();
        assertThat(setup("v3", "pat-setup", true).readyForSink()).isFalse();
    }

    @Test
    void untilThePortalIsReadyTheLogSaysWhatIsMissingAndHowToCreateIt() {
        Logger logger = (Logger) LoggerFactory.getLogger(HubSpotPortalSetup.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            assertThat(setup("v3", "pat-setup", true).readyForSink()).isFalse();
            String message = appender.list.stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(m -> m.contains("contacts.whatsapp_id")).findFirst().orElseThrow();
            assertThat(message).contains("HubSpot sink not started")
                    .contains("curl -H 'Authorization: Bearer <operator token>' -X POST")
                    .contains("/actuator/hubspot").contains("create-missing-properties");
        } finally {
            logger.detachAppender(appender);
        }
    }

    private static HubSpotPortalSetup setup(String apiVersion, String token, boolean enabled) {
        HubSpotProperties properties = new HubSpotProperties(enabled, emulator.baseUrl(), token, apiVersion, false, 100,
                100, 2, null, null, 20, null, null, null);
        HubSpotRateLimit rateLimit = new HubSpotRateLimit(properties, new HubSpotMetrics(new SimpleMeterRegistry(),
                CircuitBreaker.ofDefaults("test")));
        return new HubSpotPortalSetup(properties, rateLimit, null,
                new HubSpotAccessToken(properties, new io.github.wacrm.bridge.security.SecretFiles("", 10_000)));
    }
}
