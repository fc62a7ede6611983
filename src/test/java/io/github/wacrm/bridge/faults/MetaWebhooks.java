package io.github.wacrm.bridge.faults;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

import io.github.wacrm.bridge.support.Fixtures;

/**
 * The webhook bodies of the fault harness, built from the fixtures (Meta's shapes): a text message from each person,
 * and the statuses of the business's reply to that person. Every id carries the scenario's run token, so each
 * scenario's facts can be told apart in the CRMs.
 */
final class MetaWebhooks {

    /** One fact a webhook carries: a message (status null) or one status of an outbound message. */
    record Fact(String wamid, String status) {
    }

    private static final String TEXT = new String(Fixtures.raw("message-text"), StandardCharsets.UTF_8);
    private static final String STATUS = new String(Fixtures.raw("status-read"), StandardCharsets.UTF_8);
    private static final String FIXTURE_PHONE = "16505551234";
    private static final String FIXTURE_INBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA-RUN-text";
    private static final String FIXTURE_OUTBOUND = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA-RUN-out";

    private final String run;
    private final int scenario;

    MetaWebhooks(String run, int scenario) {
        this.run = run;
        this.scenario = scenario;
    }

    /** The customer of person {@code p}: +1 650 55S NNNN (S the scenario), digits as Meta sends them. */
    String phone(int person) {
        return String.format(Locale.ROOT, "165055%d%04d", scenario, person);
    }

    String e164(int person) {
        return "+" + phone(person);
    }

    String inboundWamid(int person) {
        return "wamid.FAULTS-" + run + "-in-" + person;
    }

    String outboundWamid(int person) {
        return "wamid.FAULTS-" + run + "-out-" + person;
    }

    /** Every id of this scenario contains it. */
    String marker() {
        return "FAULTS-" + run + "-";
    }

    byte[] inboundText(int person) {
        return TEXT.replace(FIXTURE_INBOUND, inboundWamid(person)).replace(FIXTURE_PHONE, phone(person))
                .replace("Sheena Nelson", "Person " + person).getBytes(StandardCharsets.UTF_8);
    }

    List<Fact> inboundFacts(int person) {
        return List.of(new Fact(inboundWamid(person), null));
    }

    /** The status {@code status} of the business's reply to {@code person}, at a time that keeps their order. */
    byte[] status(int person, String status) {
        long at = 1_732_270_100L + person * 10L + order(status);
        return STATUS.replace(FIXTURE_OUTBOUND, outboundWamid(person)).replace(FIXTURE_PHONE, phone(person))
                .replace("\"status\": \"read\"", "\"status\": \"" + status + "\"")
                .replace("\"timestamp\": \"1732270100\"", "\"timestamp\": \"" + at + "\"")
                .getBytes(StandardCharsets.UTF_8);
    }

    List<Fact> statusFacts(int person, String status) {
        return List.of(new Fact(outboundWamid(person), status));
    }

    /** sent < delivered < read: the status a record must end with, whatever order the webhooks came in. */
    static int order(String status) {
        return switch (status) {
            case "sent" -> 0;
            case "delivered" -> 1;
            case "read" -> 2;
            default -> 3;
        };
    }
}
