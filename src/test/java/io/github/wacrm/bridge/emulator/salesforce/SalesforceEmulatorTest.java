package io.github.wacrm.bridge.emulator.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The emulator speaks Salesforce's REST contract: tokens, upserts, collections, composite, query, errors, faults. */
class SalesforceEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SalesforceEmulator emulator;
    private String token;

    @BeforeAll
    static void start() {
        emulator = SalesforceEmulator.start(0);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void login() throws Exception {
        emulator.reset();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=a&client_secret=b"))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("id").asText()).matches(".*/id/00D[0-9A-Za-z]{15}/005[0-9A-Za-z]{15}");
        token = body.path("access_token").asText();
    }

    @Test
    void upsertByExternalIdCreatesThenUpdates() throws Exception {
        HttpResponse<String> created = call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/%2B5215512345678",
                "{\"LastName\":\"Ana\",\"WhatsApp_E164__c\":\"+525512345678\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(JSON.readTree(created.body()).path("created").asBoolean()).isTrue();
        HttpResponse<String> updated = call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/%2B5215512345678",
                "{\"WhatsApp_Region__c\":\"MX\"}");
        assertThat(updated.statusCode()).isEqualTo(200);
        assertThat(emulator.query("SELECT Id, LastName, WhatsApp_Region__c FROM Contact WHERE WhatsApp_Id__c = '+5215512345678'"))
                .singleElement().satisfies(c -> assertThat(c).containsEntry("LastName", "Ana").containsEntry("WhatsApp_Region__c", "MX"));
    }

    @Test
    void unknownFieldsAndMissingRequiredFieldsAreRefusedLikeSalesforce() throws Exception {
        HttpResponse<String> unknown = call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/x1", "{\"LastName\":\"A\",\"Nope__c\":1}");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(unknown.body()).path(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
        HttpResponse<String> missing = call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/x2", "{\"WhatsApp_Region__c\":\"MX\"}");
        assertThat(JSON.readTree(missing.body()).path(0).path("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        HttpResponse<String> formula = call("PATCH", "/sobjects/WhatsApp_Message__c/Wamid__c/w1", "{\"Status__c\":\"Read\"}");
        assertThat(JSON.readTree(formula.body()).path(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
    }

    @Test
    void collectionsUpsertAnswersPerRecordAndResolvesExternalIdReferences() throws Exception {
        String body = """
                {"allOrNone": false, "records": [
                  {"attributes": {"type": "WhatsApp_Message__c"}, "Wamid__c": "w1", "Contact__r": {"WhatsApp_Id__c": "c1"}},
                  {"attributes": {"type": "WhatsApp_Message__c"}, "Wamid__c": "w2", "Direction__c": "Sideways"}
                ]}""";
        call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/c1", "{\"LastName\":\"C\"}");
        HttpResponse<String> response = call("PATCH", "/composite/sobjects/WhatsApp_Message__c/Wamid__c", body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Sforce-Limit-Info")).hasValueSatisfying(v -> assertThat(v).matches("api-usage=\\d+/\\d+"));
        JsonNode results = JSON.readTree(response.body());
        assertThat(results.path(0).path("success").asBoolean()).as(response.body()).isTrue();
        assertThat(results.path(0).path("created").asBoolean()).isTrue();
        assertThat(results.path(1).path("success").asBoolean()).isFalse();
        assertThat(results.path(1).path("errors").path(0).path("statusCode").asText()).isEqualTo("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
        assertThat(emulator.query("SELECT Id, Contact__r.WhatsApp_Id__c, Status__c FROM WhatsApp_Message__c WHERE Wamid__c = 'w1'"))
                .singleElement().satisfies(m -> assertThat(m).containsEntry("Status__c", "Pending")
                        // as Salesforce answers a relationship column: nested under the relationship
                        .hasEntrySatisfying("Contact__r", parent -> assertThat((Map<String, Object>) parent)
                                .containsEntry("WhatsApp_Id__c", "c1").containsKey("attributes")));
    }

    @Test
    void compositeResolvesReferencesBetweenSubrequests() throws Exception {
        String body = """
                {"allOrNone": true, "compositeRequest": [
                  {"method": "POST", "url": "/services/data/v62.0/sobjects/Contact", "referenceId": "person",
                   "body": {"LastName": "Ref"}},
                  {"method": "POST", "url": "/services/data/v62.0/sobjects/Case", "referenceId": "case",
                   "body": {"Subject": "s", "ContactId": "@{person.id}"}}
                ]}""";
        HttpResponse<String> response = call("POST", "/composite", body);
        JsonNode responses = JSON.readTree(response.body()).path("compositeResponse");
        assertThat(responses.path(1).path("httpStatusCode").asInt()).isEqualTo(201);
        String contactId = responses.path(0).path("body").path("id").asText();
        assertThat(emulator.query("SELECT Id, ContactId, Status, IsClosed FROM Case")).singleElement()
                .satisfies(c -> assertThat(c).containsEntry("ContactId", contactId).containsEntry("Status", "New")
                        .containsEntry("IsClosed", false));
    }

    @Test
    void queryAnswersSalesforceShape() throws Exception {
        call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/%2B1", "{\"LastName\":\"O'Neil\"}");
        HttpResponse<String> response = call("GET", "/query?q=" + URLEncoder.encode(
                "SELECT Id, LastName FROM Contact WHERE LastName IN ('O\\'Neil', 'x') AND WhatsApp_Id__c != null",
                StandardCharsets.UTF_8), null);
        JsonNode result = JSON.readTree(response.body());
        assertThat(result.path("totalSize").asInt()).isEqualTo(1);
        assertThat(result.path("records").path(0).path("attributes").path("type").asText()).isEqualTo("Contact");
        HttpResponse<String> bad = call("GET", "/query?q=" + URLEncoder.encode("DELETE FROM Contact", StandardCharsets.UTF_8), null);
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).path(0).path("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void faultsLookLikeSalesforce() throws Exception {
        emulator.expireSessions();
        assertThat(call("GET", "/query?q=SELECT%20Id%20FROM%20Contact", null).statusCode()).isEqualTo(401);
        login();
        emulator.goDown();
        assertThat(call("GET", "/query?q=SELECT%20Id%20FROM%20Contact", null).statusCode()).isEqualTo(503);
        emulator.recover();
        emulator.exhaustDailyLimit();
        HttpResponse<String> limit = call("GET", "/query?q=SELECT%20Id%20FROM%20Contact", null);
        assertThat(limit.statusCode()).isEqualTo(403);
        assertThat(limit.body()).contains("REQUEST_LIMIT_EXCEEDED");
        emulator.recover();
        emulator.org().injectLockErrors(1);
        HttpResponse<String> locked = call("PATCH", "/composite/sobjects/Contact/WhatsApp_Id__c",
                "{\"records\":[{\"attributes\":{\"type\":\"Contact\"},\"WhatsApp_Id__c\":\"l1\",\"LastName\":\"L\"}]}");
        assertThat(JSON.readTree(locked.body()).path(0).path("errors").path(0).path("statusCode").asText())
                .isEqualTo("UNABLE_TO_LOCK_ROW");
        emulator.org().addValidationRule(new SalesforceOrg.ValidationRule("Contact",
                r -> "Blocked".equals(r.get("LastName")), "Blocked contacts are not allowed"));
        HttpResponse<String> rule = call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/v1", "{\"LastName\":\"Blocked\"}");
        assertThat(JSON.readTree(rule.body()).path(0).path("errorCode").asText()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");
    }

    @Test
    void knowsEveryObjectOfTheShippedMetadata() {
        for (String object : List.of("WhatsApp_Message__c", "WhatsApp_Template__c", "WhatsApp_Phone_Number__c",
                "WhatsApp_Account_Event__c")) {
            assertThat(emulator.org().schema().object(object)).as(object).isPresent();
        }
        assertThat(emulator.org().schema().object("Contact").orElseThrow().fields()).containsKeys("WhatsApp_Id__c",
                "WhatsApp_Last_Inbound_At__c");
    }

    @Test
    void aQueryWithMoreRowsThanItsBatchIsAnsweredInPagesThroughNextRecordsUrl() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertThat(call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/p" + i, "{\"LastName\":\"P" + i + "\"}")
                    .statusCode()).isEqualTo(201);
        }
        emulator.queryBatchSize(2);
        java.util.Set<String> names = new java.util.HashSet<>();
        JsonNode page = JSON.readTree(call("GET", "/query?q=" + java.net.URLEncoder.encode(
                "SELECT Id, LastName FROM Contact", java.nio.charset.StandardCharsets.UTF_8), null).body());
        int pages = 1;
        page.path("records").forEach(r -> names.add(r.path("LastName").asText()));
        while (!page.path("done").asBoolean()) {
            String next = page.path("nextRecordsUrl").asText();
            assertThat(next).startsWith("/services/data/v62.0/query/");
            page = JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + next))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
            page.path("records").forEach(r -> names.add(r.path("LastName").asText()));
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(page.path("totalSize").asInt()).isEqualTo(5);
        assertThat(names).containsExactlyInAnyOrder("P0", "P1", "P2", "P3", "P4");
        HttpResponse<String> gone = call("GET", "/query/01g000000000000999-2", null);
        assertThat(JSON.readTree(gone.body()).path(0).path("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");
    }

    @Test
    void anUnknownColumnIsAnInvalidField() throws Exception {
        for (String soql : List.of("SELECT Id, Nope__c FROM Contact", "SELECT Id FROM Contact WHERE Nope__c = 'x'",
                "SELECT Id, Nope__r.Name FROM WhatsApp_Message__c")) {
            HttpResponse<String> answer = call("GET", "/query?q=" + java.net.URLEncoder.encode(soql,
                    java.nio.charset.StandardCharsets.UTF_8), null);
            assertThat(answer.statusCode()).as(soql).isEqualTo(400);
            assertThat(JSON.readTree(answer.body()).path(0).path("errorCode").asText()).as(soql).isEqualTo("INVALID_FIELD");
        }
    }

    @Test
    void dateTimesAreWrittenBackAsSalesforceWritesThem() throws Exception {
        assertThat(call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/d1",
                "{\"LastName\":\"D\",\"WhatsApp_Last_Inbound_At__c\":\"2024-11-22T10:06:40.123456Z\"}").statusCode())
                .isEqualTo(201);
        assertThat(emulator.query("SELECT Id, WhatsApp_Last_Inbound_At__c, CreatedDate FROM Contact WHERE WhatsApp_Id__c = 'd1'"))
                .singleElement().satisfies(c -> {
                    assertThat(c).containsEntry("WhatsApp_Last_Inbound_At__c", "2024-11-22T10:06:40.123+0000");
                    assertThat((String) c.get("CreatedDate")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+0000");
                });
    }

    @Test
    void textLengthIsCountedInUtf16UnitsAsSalesforceCountsIt() throws Exception {
        // Reaction_Emoji__c holds 32: 16 emoji outside the Basic Multilingual Plane fit, 17 do not
        assertThat(call("PATCH", "/sobjects/WhatsApp_Message__c/Wamid__c/e1",
                "{\"Reaction_Emoji__c\":\"" + "😀".repeat(16) + "\"}").statusCode()).isEqualTo(201);
        HttpResponse<String> tooLong = call("PATCH", "/sobjects/WhatsApp_Message__c/Wamid__c/e2",
                "{\"Reaction_Emoji__c\":\"" + "😀".repeat(17) + "\"}");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).path(0).path("errorCode").asText()).isEqualTo("STRING_TOO_LONG");
    }

    @Test
    void aCollectionsUpsertNamingAFieldTheObjectLacksIsRefusedAsAWhole() throws Exception {
        HttpResponse<String> answer = call("PATCH", "/composite/sobjects/Contact/WhatsApp_Id__c", """
                {"allOrNone": false, "records": [
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "u1", "LastName": "U"},
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "u2", "LastName": "V", "Nope__c": 1}]}""");
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(answer.body()).path(0).path("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(emulator.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = 'u1'")).isEmpty();
    }

    @Test
    void withAllOrNoneAFailedRecordRollsTheWholeCallBack() throws Exception {
        HttpResponse<String> answer = call("PATCH", "/composite/sobjects/Contact/WhatsApp_Id__c", """
                {"allOrNone": true, "records": [
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "r1", "LastName": "R"},
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "r2"}]}""");
        JsonNode results = JSON.readTree(answer.body());
        assertThat(results.path(0).path("errors").path(0).path("statusCode").asText())
                .isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(results.path(1).path("errors").path(0).path("statusCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(emulator.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = 'r1'")).as("rolled back").isEmpty();
    }

    @Test
    void oneExternalIdTwiceInAnUpsertFailsBothRecords() throws Exception {
        JsonNode results = JSON.readTree(call("PATCH", "/composite/sobjects/Contact/WhatsApp_Id__c", """
                {"allOrNone": false, "records": [
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "d1", "LastName": "A"},
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "d1", "LastName": "B"},
                  {"attributes": {"type": "Contact"}, "WhatsApp_Id__c": "d2", "LastName": "C"}]}""").body());
        assertThat(results.path(0).path("errors").path(0).path("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(results.path(1).path("errors").path(0).path("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(results.path(2).path("success").asBoolean()).isTrue();
        assertThat(emulator.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = 'd1'")).isEmpty();
    }

    @Test
    void soqlReadsLowerCaseKeywordsLikeOrAndDateLiterals() throws Exception {
        call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/s1", "{\"LastName\":\"Ana\"}");
        call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/s2", "{\"LastName\":\"Bea\"}");
        call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/s3", "{\"LastName\":\"Cid\"}");
        assertThat(emulator.query("select Id, LastName from Contact where LastName like 'a%' or LastName = 'Cid' "
                + "order by LastName")).extracting(r -> r.get("LastName")).containsExactly("Ana", "Cid");
        assertThat(emulator.query("SELECT Id FROM Contact WHERE CreatedDate = TODAY AND (LastName = 'Bea' OR "
                + "LastName = 'Cid')")).hasSize(2);
        assertThat(emulator.query("SELECT Id FROM Contact WHERE CreatedDate < YESTERDAY")).isEmpty();
        assertThat(emulator.query("SELECT Id FROM Contact WHERE CreatedDate > 2020-01-01T00:00:00Z")).hasSize(3);
    }

    @Test
    void compositeResolvesReferencesIntoQueryResultsAnswersLocationsAndRollsBackWithAllOrNone() throws Exception {
        call("PATCH", "/sobjects/Contact/WhatsApp_Id__c/q1", "{\"LastName\":\"Q\"}");
        JsonNode answer = JSON.readTree(call("POST", "/composite", """
                {"allOrNone": false, "compositeRequest": [
                  {"method": "GET", "referenceId": "q",
                   "url": "/services/data/v62.0/query?q=SELECT+Id+FROM+Contact+WHERE+WhatsApp_Id__c+%3D+%27q1%27"},
                  {"method": "PATCH", "referenceId": "rename", "url": "/services/data/v62.0/sobjects/Contact/@{q.records[0].Id}",
                   "body": {"LastName": "Renamed"}},
                  {"method": "POST", "referenceId": "created", "url": "/services/data/v62.0/sobjects/Contact",
                   "body": {"LastName": "New", "WhatsApp_Id__c": "q2"}}]}""").body()).path("compositeResponse");
        assertThat(answer.path(1).path("httpStatusCode").asInt()).isEqualTo(204);
        assertThat(emulator.query("SELECT Id, LastName FROM Contact WHERE WhatsApp_Id__c = 'q1'"))
                .singleElement().satisfies(c -> assertThat(c).containsEntry("LastName", "Renamed"));
        assertThat(answer.path(2).path("httpHeaders").path("Location").asText())
                .isEqualTo("/services/data/v62.0/sobjects/Contact/" + answer.path(2).path("body").path("id").asText());

        JsonNode rolledBack = JSON.readTree(call("POST", "/composite", """
                {"allOrNone": true, "compositeRequest": [
                  {"method": "POST", "referenceId": "ok", "url": "/services/data/v62.0/sobjects/Contact",
                   "body": {"LastName": "Kept?", "WhatsApp_Id__c": "q3"}},
                  {"method": "POST", "referenceId": "bad", "url": "/services/data/v62.0/sobjects/Contact",
                   "body": {"WhatsApp_Id__c": "q4"}}]}""").body()).path("compositeResponse");
        assertThat(rolledBack.path(0).path("body").path(0).path("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(rolledBack.path(1).path("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(emulator.query("SELECT Id FROM Contact WHERE WhatsApp_Id__c = 'q3'")).as("rolled back").isEmpty();
    }

    private HttpResponse<String> call(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/data/v62.0" + path))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
