package io.github.wacrm.bridge.emulator.hubspot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The emulator speaks HubSpot's contract: token, properties, batch upsert, 207, associations, search, rate limits. */
class HubSpotEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String TOKEN = "pat-test";
    private static HubSpotEmulator emulator;

    @BeforeAll
    static void start() {
        emulator = HubSpotEmulator.start(0, TOKEN);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void newPortal() throws Exception {
        emulator.recover();
        emulator.portal().reset();
        emulator.budget(100, 10_000, 250_000);
        assertThat(call("POST", "/crm/v3/properties/contacts/groups", "{\"name\":\"whatsapp\",\"label\":\"WhatsApp\"}")
                .statusCode()).isEqualTo(201);
        assertThat(call("POST", "/crm/v3/properties/contacts", "{\"name\":\"whatsapp_id\",\"label\":\"WhatsApp ID\","
                + "\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"whatsapp\",\"hasUniqueValue\":true}")
                .statusCode()).isEqualTo(201);
    }

    @Test
    void aRecordIsReadByItsUniquePropertyInThePathWithThePlusOfItsNumberEscaped() throws Exception {
        assertThat(call("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[{\"idProperty\":\"whatsapp_id\","
                + "\"id\":\"+16505550199\",\"properties\":{\"firstname\":\"Ana\"}}]}").statusCode()).isEqualTo(200);
        HttpResponse<String> read = call("GET",
                "/crm/v3/objects/contacts/%2B16505550199?idProperty=whatsapp_id&properties=firstname", null);
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(read.body()).path("properties").path("firstname").asText()).isEqualTo("Ana");
    }

    @Test
    void aNotesAttachmentMustBeAFileThePortalHolds() throws Exception {
        HttpResponse<String> unknown = call("POST", "/crm/v3/objects/notes", "{\"properties\":{\"hs_timestamp\":"
                + "\"2024-11-22T10:06:40Z\",\"hs_note_body\":\"a file\",\"hs_attachment_ids\":\"999999\"}}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.body()).contains("INVALID_FILE");
        String boundary = "b0undary";
        String form = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF"
                + "\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"fileName\"\r\n\r\na.pdf\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"folderPath\"\r\n\r\n/WhatsApp\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"options\"\r\n\r\n{\"access\":\"PRIVATE\"}\r\n--" + boundary
                + "--\r\n";
        HttpResponse<String> uploaded = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/files/v3/files"))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "multipart/form-data; boundary="
                        + boundary).POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(uploaded.statusCode()).isEqualTo(201);
        String fileId = JSON.readTree(uploaded.body()).path("id").asText();
        HttpResponse<String> known = call("POST", "/crm/v3/objects/notes", "{\"properties\":{\"hs_timestamp\":"
                + "\"2024-11-22T10:06:40Z\",\"hs_note_body\":\"a file\",\"hs_attachment_ids\":\"" + fileId + "\"}}");
        assertThat(known.statusCode()).isEqualTo(201);
    }

    @Test
    void aMissingOrWrongTokenIs401AndAMissingScope403() throws Exception {
        HttpResponse<String> none = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                + "/crm/v3/properties/contacts")).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(none.body()).path("category").asText()).isEqualTo("INVALID_AUTHENTICATION");
        emulator.dropScopes();
        HttpResponse<String> scopes = call("GET", "/crm/v3/properties/contacts", null);
        assertThat(scopes.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(scopes.body()).path("category").asText()).isEqualTo("MISSING_SCOPES");
    }

    @Test
    void aPropertyIsCreatedOnceWithItsUniqueFlag() throws Exception {
        HttpResponse<String> again = call("POST", "/crm/v3/properties/contacts", "{\"name\":\"whatsapp_id\",\"label\":\"x\","
                + "\"type\":\"string\",\"fieldType\":\"text\",\"groupName\":\"whatsapp\",\"hasUniqueValue\":true}");
        assertThat(again.statusCode()).isEqualTo(409);
        JsonNode read = JSON.readTree(call("GET", "/crm/v3/properties/contacts/whatsapp_id", null).body());
        assertThat(read.path("hasUniqueValue").asBoolean()).isTrue();
        assertThat(call("POST", "/crm/v3/properties/contacts", "{\"name\":\"x_y\",\"label\":\"x\",\"type\":\"string\","
                + "\"fieldType\":\"text\",\"groupName\":\"no_such_group\"}").statusCode()).isEqualTo(400);
    }

    @Test
    void batchUpsertCreatesThenUpdatesOnTheUniqueProperty() throws Exception {
        String body = "{\"inputs\":[{\"idProperty\":\"whatsapp_id\",\"id\":\"+16505551234\",\"properties\":"
                + "{\"firstname\":\"Sheena\"}}]}";
        JsonNode first = JSON.readTree(call("POST", "/crm/v3/objects/contacts/batch/upsert", body).body());
        assertThat(first.path("results").path(0).path("new").asBoolean()).isTrue();
        assertThat(first.path("results").path(0).path("properties").path("whatsapp_id").asText()).isEqualTo("+16505551234");
        // the date-versioned path is the same API
        HttpResponse<String> second = call("POST", "/crm/objects/2026-03/contacts/batch/upsert", body);
        assertThat(second.statusCode()).isEqualTo(200);
        JsonNode result = JSON.readTree(second.body()).path("results").path(0);
        assertThat(result.path("new").asBoolean()).isFalse();
        assertThat(result.path("id").asText()).isEqualTo(first.path("results").path(0).path("id").asText());
        assertThat(emulator.portal().count("contacts")).isEqualTo(1);
    }

    @Test
    void oneInvalidInputIsA207TheOthersAreWritten() throws Exception {
        HttpResponse<String> answer = call("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":["
                + "{\"idProperty\":\"whatsapp_id\",\"id\":\"+1\",\"properties\":{\"firstname\":\"A\"}},"
                + "{\"idProperty\":\"whatsapp_id\",\"id\":\"+2\",\"properties\":{\"no_such_property\":\"B\"}}]}");
        assertThat(answer.statusCode()).isEqualTo(207);
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.path("results")).hasSize(1);
        assertThat(body.path("numErrors").asInt()).isEqualTo(1);
        assertThat(body.path("errors").path(0).path("category").asText()).isEqualTo("VALIDATION_ERROR");
        assertThat(body.path("errors").path(0).path("context").path("whatsapp_id").path(0).asText()).isEqualTo("+2");
        assertThat(body.path("errors").path(0).path("message").asText()).contains("PROPERTY_DOESNT_EXIST");
    }

    @Test
    void duplicateIdsOrANonUniqueIdPropertyRefuseTheWholeBatch() throws Exception {
        String input = "{\"idProperty\":\"whatsapp_id\",\"id\":\"+1\",\"properties\":{}}";
        assertThat(call("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[" + input + "," + input + "]}")
                .statusCode()).isEqualTo(400);
        assertThat(call("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[{\"idProperty\":\"firstname\","
                + "\"id\":\"x\",\"properties\":{}}]}").statusCode()).isEqualTo(400);
    }

    @Test
    void aCommunicationNeedsItsTimestampChannelAndOrigin() throws Exception {
        HttpResponse<String> missing = call("POST", "/crm/v3/objects/communications", "{\"properties\":"
                + "{\"hs_communication_body\":\"hi\"}}");
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("hs_timestamp is required");
        HttpResponse<String> wrongChannel = call("POST", "/crm/v3/objects/communications", "{\"properties\":{"
                + "\"hs_timestamp\":\"2024-11-22T10:06:40Z\",\"hs_communication_channel_type\":\"TELEGRAM\","
                + "\"hs_communication_logged_from\":\"CRM\"}}");
        assertThat(wrongChannel.statusCode()).isEqualTo(400);
        HttpResponse<String> created = call("POST", "/crm/v3/objects/communications", "{\"properties\":{"
                + "\"hs_timestamp\":\"2024-11-22T10:06:40Z\",\"hs_communication_channel_type\":\"WHATS_APP\","
                + "\"hs_communication_logged_from\":\"CRM\",\"hs_communication_body\":\"hi\"}}");
        assertThat(created.statusCode()).isEqualTo(201);
    }

    @Test
    void associationsAreCreatedInBatchesAndUnknownTypesAreRefusedPerInput() throws Exception {
        String contact = JSON.readTree(call("POST", "/crm/v3/objects/contacts", "{\"properties\":{\"firstname\":\"A\"}}")
                .body()).path("id").asText();
        String communication = JSON.readTree(call("POST", "/crm/v3/objects/communications", "{\"properties\":{"
                + "\"hs_timestamp\":\"1732270000000\",\"hs_communication_channel_type\":\"WHATS_APP\","
                + "\"hs_communication_logged_from\":\"CRM\"}}").body()).path("id").asText();
        HttpResponse<String> created = call("POST", "/crm/v4/associations/communications/contacts/batch/create",
                "{\"inputs\":[{\"from\":{\"id\":\"" + communication + "\"},\"to\":{\"id\":\"" + contact + "\"},\"types\":"
                        + "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":81}]}]}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("results").path(0).path("toObjectId").asText()).isEqualTo(contact);
        HttpResponse<String> mixed = call("POST", "/crm/associations/2026-03/communications/contacts/batch/create",
                "{\"inputs\":[{\"from\":{\"id\":\"" + communication + "\"},\"to\":{\"id\":\"" + contact + "\"},\"types\":"
                        + "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":81}]},"
                        + "{\"from\":{\"id\":\"" + communication + "\"},\"to\":{\"id\":\"999\"},\"types\":"
                        + "[{\"associationCategory\":\"HUBSPOT_DEFINED\",\"associationTypeId\":81}]}]}");
        assertThat(mixed.statusCode()).isEqualTo(207);
        assertThat(emulator.portal().associated("communications", communication, "contacts")).containsExactly(contact);
        // HubSpot keeps associations both ways: the contact's communications include it
        JsonNode read = JSON.readTree(call("POST", "/crm/v4/associations/contacts/communications/batch/read",
                "{\"inputs\":[{\"id\":\"" + contact + "\"}]}").body());
        assertThat(read.path("results").path(0).path("to").path(0).path("toObjectId").asText()).isEqualTo(communication);
    }

    @Test
    void searchFindsByPropertyAndIsLimitedToFivePerSecond() throws Exception {
        call("POST", "/crm/v3/objects/contacts/batch/upsert", "{\"inputs\":[{\"idProperty\":\"whatsapp_id\",\"id\":\"+9\","
                + "\"properties\":{\"firstname\":\"Nine\"}}]}");
        String search = "{\"filterGroups\":[{\"filters\":[{\"propertyName\":\"whatsapp_id\",\"operator\":\"EQ\","
                + "\"value\":\"+9\"}]}],\"properties\":[\"firstname\"]}";
        JsonNode found = JSON.readTree(call("POST", "/crm/v3/objects/contacts/search", search).body());
        assertThat(found.path("total").asInt()).isEqualTo(1);
        assertThat(found.path("results").path(0).path("properties").path("firstname").asText()).isEqualTo("Nine");
        int throttled = 0;
        for (int i = 0; i < 8; i++) {
            throttled += call("POST", "/crm/v3/objects/contacts/search", search).statusCode() == 429 ? 1 : 0;
        }
        assertThat(throttled).isGreaterThan(0);
    }

    @Test
    void everyAnswerCarriesTheRateLimitHeadersAndThePortalBudgetIsEnforced() throws Exception {
        emulator.budget(5, 10_000, 250_000);
        HttpResponse<String> first = call("GET", "/crm/v3/properties/contacts", null);
        assertThat(first.headers().firstValue("X-HubSpot-RateLimit-Max")).hasValue("5");
        assertThat(first.headers().firstValue("X-HubSpot-RateLimit-Remaining")).hasValue("4");
        assertThat(first.headers().firstValue("X-HubSpot-RateLimit-Interval-Milliseconds")).hasValue("10000");
        assertThat(first.headers().firstValue("X-HubSpot-RateLimit-Daily-Remaining")).isPresent();
        HttpResponse<String> last = null;
        for (int i = 0; i < 5; i++) {
            last = call("GET", "/crm/v3/properties/contacts", null);
        }
        assertThat(last.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(last.body()).path("policyName").asText()).isEqualTo("TEN_SECONDLY_ROLLING");
        emulator.budget(100, 10_000, 250_000);
        emulator.spendDailyLimit();
        HttpResponse<String> daily = call("GET", "/crm/v3/properties/contacts", null);
        assertThat(daily.statusCode()).isEqualTo(429);
        assertThat(JSON.readTree(daily.body()).path("policyName").asText()).isEqualTo("DAILY");
    }

    @Test
    void datetimesComeBackIsoAndReadsWithoutAssociationsAre207NoAssociationsFound() throws Exception {
        JsonNode communication = JSON.readTree(call("POST", "/crm/v3/objects/communications", "{\"properties\":{"
                + "\"hs_timestamp\":\"1732270000000\",\"hs_communication_channel_type\":\"WHATS_APP\","
                + "\"hs_communication_logged_from\":\"CRM\"}}").body());
        assertThat(communication.path("properties").path("hs_timestamp").asText()).isEqualTo("2024-11-22T10:06:40Z");
        HttpResponse<String> none = call("POST", "/crm/v4/associations/communications/contacts/batch/read",
                "{\"inputs\":[{\"id\":\"" + communication.path("id").asText() + "\"}]}");
        assertThat(none.statusCode()).isEqualTo(207);
        assertThat(JSON.readTree(none.body()).path("errors").path(0).path("subCategory").asText())
                .isEqualTo("crm.associations.NO_ASSOCIATIONS_FOUND");
        assertThat(JSON.readTree(call("GET", "/crm/v4/associations/contacts/communications/labels", null).body())
                .path("results").path(0).path("typeId").asInt()).isEqualTo(82);
        assertThat(JSON.readTree(call("GET", "/crm/v3/pipelines/tickets", null).body()).path("results").path(0)
                .path("stages").path(3).path("label").asText()).isEqualTo("Closed");
        assertThat(call("POST", "/crm/v3/objects/tickets", "{\"properties\":{\"subject\":\"s\",\"hs_pipeline\":\"0\","
                + "\"hs_pipeline_stage\":\"77\"}}").statusCode()).isEqualTo(400);
        assertThat(call("DELETE", "/crm/v3/objects/communications/" + communication.path("id").asText(), null)
                .statusCode()).isEqualTo(204);
        assertThat(emulator.portal().count("communications")).isZero();
    }

    @Test
    void injectedFaultsAnswer5xx() throws Exception {
        emulator.failNext(1, 502);
        assertThat(call("GET", "/crm/v3/properties/contacts", null).statusCode()).isEqualTo(502);
        assertThat(call("GET", "/crm/v3/properties/contacts", null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + path))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
