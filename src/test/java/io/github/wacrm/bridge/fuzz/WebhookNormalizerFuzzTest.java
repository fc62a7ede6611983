package io.github.wacrm.bridge.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import io.github.wacrm.bridge.normalize.MalformedWebhookException;
import io.github.wacrm.bridge.normalize.WebhookNormalizer;

/**
 * Whatever bytes arrive signed, the normaliser answers canonical events the events topic can carry, or refuses the
 * delivery with {@link MalformedWebhookException} (its reason dead-letters it): never another exception, never a
 * hang, never a cost that grows faster than the body on deep or wide inputs.
 */
class WebhookNormalizerFuzzTest {

    private static final WebhookNormalizer NORMALIZER = new WebhookNormalizer(new PhoneIdentity(""));
    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "30s")
    void anyBodyIsNormalisedOrRefusedWithItsReason(byte[] body) throws Exception {
        normaliseOrRefuse(body);
    }

    @Test
    void everyFixtureAndRealBodyPassesTheSameCheck() throws Exception {
        for (Path file : FuzzSeeds.webhookBodies()) {
            normaliseOrRefuse(FuzzSeeds.read(file));
        }
        assertThat(FuzzSeeds.webhookBodies()).hasSizeGreaterThan(200);
    }

    @Test
    @Timeout(10)
    void deepNestingIsRefusedAtOnce() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertThatThrownBy(() -> NORMALIZER.normalize(deep.getBytes(StandardCharsets.UTF_8), null))
                .isInstanceOfSatisfying(MalformedWebhookException.class, e -> assertThat(e.reason()).isEqualTo("too_deep"));
    }

    @Test
    @Timeout(20)
    void wideDeliveriesCostInProportionToTheirSize() throws Exception {
        long small = timeOfWide(5_000);
        long large = timeOfWide(50_000);
        // ten times the statuses: well under a hundred times the time (a quadratic step would be ~100x)
        assertThat(large).isLessThan(Math.max(small, Duration.ofMillis(20).toNanos()) * 30);
    }

    private static long timeOfWide(int statuses) throws Exception {
        StringBuilder body = new StringBuilder("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\","
                + "\"changes\":[{\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":"
                + "{\"display_phone_number\":\"15550001111\",\"phone_number_id\":\"123\"},\"statuses\":[");
        for (int i = 0; i < statuses; i++) {
            body.append(i == 0 ? "" : ",").append("{\"id\":\"wamid.W").append(i).append("\",\"status\":\"sent\",")
                    .append("\"timestamp\":\"1732270100\",\"recipient_id\":\"1650555").append(1000 + i % 9000)
                    .append("\"}");
        }
        body.append("]}}]}]}");
        byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
        NORMALIZER.normalize(bytes, null);
        long start = System.nanoTime();
        assertThat(NORMALIZER.normalize(bytes, null)).hasSize(statuses);
        return System.nanoTime() - start;
    }

    static void normaliseOrRefuse(byte[] body) throws Exception {
        try {
            for (var event : NORMALIZER.normalize(body, null)) {
                // what the route does with each: serialise it for the events topic
                JSON.writeValueAsBytes(event);
            }
        } catch (MalformedWebhookException refused) {
            assertThat(refused.reason()).isNotBlank();
        }
    }
}
