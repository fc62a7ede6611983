package io.github.wacrm.bridge.emulator.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.apache.hc.client5.http.entity.mime.HttpMultipartMode;
import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Salesforce Files in the emulator, as the REST API takes them: a multipart ContentVersion insert (entity_content
 * and VersionData parts, as Apache HttpClient's multipart builder writes them), its refusals, and the JSON insert's
 * 50 MB request bound.
 */
class SalesforceFilesEmulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static SalesforceEmulator emulator;
    private String token;
    private String contactId;

    @BeforeAll
    static void start() {
        emulator = SalesforceEmulator.start(0);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @BeforeEach
    void loginAndARecord() throws Exception {
        emulator.reset();
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl()
                + "/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=a&client_secret=b"))
                .build(), HttpResponse.BodyHandlers.ofString());
        token = JSON.readTree(login.body()).path("access_token").asText();
        contactId = JSON.readTree(post("application/json", "/sobjects/Contact",
                "{\"LastName\":\"Ana\"}".getBytes(StandardCharsets.UTF_8)).body()).path("id").asText();
    }

    @Test
    void aMultipartInsertStoresTheFileOnItsFirstPublishLocation() throws Exception {
        byte[] bytes = "%PDF-1.7 an invoice".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> created = multipart("{\"Title\":\"Счёт 4521\",\"PathOnClient\":\"Счёт 4521.pdf\","
                + "\"FirstPublishLocationId\":\"" + contactId + "\"}", bytes);

        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode answer = JSON.readTree(created.body());
        assertThat(answer.path("success").asBoolean()).isTrue();
        assertThat(answer.path("id").asText()).startsWith("068");
        assertThat(emulator.files()).singleElement().satisfies(file -> {
            assertThat(file.firstPublishLocationId()).isEqualTo(contactId);
            assertThat(file.size()).isEqualTo(bytes.length);
            assertThat(file.title()).isEqualTo("Счёт 4521");
        });
        assertThat(emulator.query("SELECT ContentDocumentId, FileExtension, ContentSize FROM ContentVersion WHERE Id = '"
                + answer.path("id").asText() + "'")).singleElement().satisfies(row -> {
                    assertThat(row.get("FileExtension")).isEqualTo("pdf");
                    assertThat((String) row.get("ContentDocumentId")).startsWith("069");
                });
    }

    @Test
    void aMultipartInsertWithoutItsPartsOrWithAnUnknownLocationIsRefused() throws Exception {
        HttpResponse<String> noEntity = post("multipart/form-data; boundary=b", "/sobjects/ContentVersion",
                "--b\r\nContent-Disposition: form-data; name=\"VersionData\"; filename=\"a.txt\"\r\n\r\nabc\r\n--b--\r\n"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(noEntity.statusCode()).isEqualTo(400);
        assertThat(noEntity.body()).contains("INVALID_MULTIPART_REQUEST");

        HttpResponse<String> unknownLocation = multipart("{\"PathOnClient\":\"a.txt\",\"FirstPublishLocationId\":"
                + "\"003000000000999AAA\"}", new byte[] {1, 2, 3});
        assertThat(unknownLocation.statusCode()).isEqualTo(400);
        assertThat(unknownLocation.body()).contains("INVALID_CROSS_REFERENCE_KEY");

        HttpResponse<String> noPath = multipart("{\"Title\":\"a\"}", new byte[] {1});
        assertThat(noPath.body()).contains("REQUIRED_FIELD_MISSING");

        HttpResponse<String> orgField = multipart("{\"PathOnClient\":\"a.txt\",\"ContentSize\":3}", new byte[] {1});
        assertThat(orgField.body()).contains("INVALID_FIELD_FOR_INSERT_UPDATE");
        assertThat(emulator.files()).isEmpty();
    }

    @Test
    void aFileLargerThanTheStorageLeftIsRefusedWithStorageLimitExceeded() throws Exception {
        emulator.fileStorageLeft(10);
        HttpResponse<String> refused = multipart("{\"PathOnClient\":\"big.bin\"}", new byte[11]);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("STORAGE_LIMIT_EXCEEDED");
    }

    @Test
    void aJsonInsertCarriesTheFileInBase64AndIsBoundedAtFiftyMegabytes() throws Exception {
        HttpResponse<String> small = post("application/json", "/sobjects/ContentVersion", ("{\"PathOnClient\":\"a.txt\","
                + "\"VersionData\":\"" + Base64.getEncoder().encodeToString("abc".getBytes()) + "\"}").getBytes());
        assertThat(small.statusCode()).isEqualTo(201);

        byte[] tooLarge = new byte[(int) SalesforceContentApi.JSON_REQUEST_LIMIT + 1];
        java.util.Arrays.fill(tooLarge, (byte) ' ');
        HttpResponse<String> refused = post("application/json", "/sobjects/ContentVersion", tooLarge);
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("Maximum size of request reached");
    }

    private HttpResponse<String> multipart(String entity, byte[] bytes) throws Exception {
        HttpEntity body = MultipartEntityBuilder.create().setMode(HttpMultipartMode.EXTENDED)
                .addTextBody("entity_content", entity, ContentType.APPLICATION_JSON)
                .addBinaryBody("VersionData", bytes, ContentType.APPLICATION_OCTET_STREAM, "file.bin").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        body.writeTo(out);
        return post(body.getContentType(), "/sobjects/ContentVersion", out.toByteArray());
    }

    private HttpResponse<String> post(String contentType, String path, byte[] body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(emulator.baseUrl() + "/services/data/v62.0" + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
