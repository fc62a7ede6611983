package io.github.wacrm.bridge.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Which inputs a HubSpot answer that refuses a whole call names. */
class HubSpotAnswersTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theUniqueValuesInTheContextAreNamed() throws Exception {
        assertThat(HubSpotAnswers.namedInputs(json("{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
                + "\"message\":\"Property values were not valid\",\"context\":{\"whatsapp_message_id\":[\"wamid.A\"]}}")))
                .containsExactly("wamid.A");
        assertThat(HubSpotAnswers.namedInputs(json("{\"context\":{\"ids\":[\"101\", 102]}}")))
                .containsExactlyInAnyOrder("101", "102");
    }

    @Test
    void theDuplicateIdsOfTheMessageAreNamed() throws Exception {
        assertThat(HubSpotAnswers.namedInputs(json("{\"message\":\"Duplicate IDs found in batch input: "
                + "[+16505551234, +16505551235]. IDs must be unique\"}")))
                .containsExactlyInAnyOrder("+16505551234", "+16505551235");
    }

    @Test
    void anAnswerThatNamesNoInputNamesNone() throws Exception {
        assertThat(HubSpotAnswers.namedInputs(json("{\"status\":\"error\",\"category\":\"VALIDATION_ERROR\","
                + "\"message\":\"Property values were not valid: [{\\\"isValid\\\":false}]\",\"context\":{}}")))
                .isEmpty();
        assertThat(HubSpotAnswers.namedInputs(json("\"not an object\""))).isEmpty();
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }
}
