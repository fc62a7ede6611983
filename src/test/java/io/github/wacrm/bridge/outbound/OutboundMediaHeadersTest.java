package io.github.wacrm.bridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;

import org.apache.hc.client5.http.entity.mime.MultipartEntityBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;

/**
 * Templates with a media header, through the outbound API to the Cloud API emulator: an image by the id of a file
 * uploaded with {@code POST /{phone-number-id}/media}, a video by link; a media id Meta does not have fails with
 * Meta's reason; a header of the wrong format is refused before anything is sent.
 */
class OutboundMediaHeadersTest extends BridgeIntegrationTest {

    private static final Duration SENT = Duration.ofSeconds(30);

    /** The templates with a media header are in the registry (synced from the Graph API) before anything is sent. */
    @org.junit.jupiter.api.BeforeEach
    void templatesSynced() {
        org.awaitility.Awaitility.await().atMost(SENT).until(() -> jdbc.queryForObject("SELECT count(*) FROM "
                + "whatsapp_template WHERE name IN ('order_photo', 'product_demo') AND components IS NOT NULL",
                Integer.class) == 2);
    }

    @Test
    void anImageHeaderByAnUploadedMediaIdIsSentWithThatId() throws Exception {
        HttpResponse<String> upload = upload("image/jpeg", new byte[2048]);
        assertThat(upload.statusCode()).isEqualTo(200);
        String mediaId = OutboundClient.json(upload).path("id").asText();

        String id = send("order_photo", "{\"image\": {\"id\": \"" + mediaId + "\"}}");
        client().awaitStatus(id, "read", SENT);
        JsonNode header = OutboundClient.sendsOf(id).get(0).body().path("template").path("components").path(0);
        assertThat(header.path("type").asText()).isEqualTo("header");
        assertThat(header.path("parameters").path(0).path("type").asText()).isEqualTo("image");
        assertThat(header.path("parameters").path(0).path("image").path("id").asText()).isEqualTo(mediaId);
    }

    @Test
    void aVideoHeaderByLinkIsSent() throws Exception {
        String id = send("product_demo", "{\"video\": {\"link\": \"https://media.example.com/demo.mp4\"}}");
        client().awaitStatus(id, "read", SENT);
        assertThat(OutboundClient.sendsOf(id).get(0).body().path("template").path("components").path(0)
                .path("parameters").path(0).path("video").path("link").asText())
                .isEqualTo("https://media.example.com/demo.mp4");
    }

    @Test
    void aMediaIdMetaDoesNotHaveFailsWithMetasReason() throws Exception {
        String id = send("order_photo", "{\"image\": {\"id\": \"1234567890123\"}}");
        JsonNode failed = client().awaitStatus(id, "failed", SENT);
        assertThat(failed.toString()).contains("131053");
    }

    @Test
    void aHeaderOfAnotherFormatThanTheTemplatesIsRefusedBeforeSending() throws Exception {
        String id = send("product_demo", "{\"image\": {\"link\": \"https://media.example.com/demo.jpg\"}}");
        JsonNode refused = client().awaitStatus(id, "refused", SENT);
        assertThat(refused.toString()).contains("template_parameters");
        assertThat(OutboundClient.sendsOf(id)).isEmpty();
    }

    @Test
    void metaRefusesAnUploadOverItsTypesLimitOrOfATypeItDoesNotTake() throws Exception {
        HttpResponse<String> tooLarge = upload("image/jpeg", new byte[5 * 1024 * 1024 + 1]);
        assertThat(tooLarge.statusCode()).isEqualTo(400);
        assertThat(tooLarge.body()).contains("131053");
        assertThat(upload("application/x-msdownload", new byte[10]).body()).contains("131053");
    }

    private String send(String template, String header) throws Exception {
        String body = "{\"to\": \"" + OutboundClient.newNumber() + "\", \"template\": {\"name\": \"" + template
                + "\", \"language\": \"en_US\", \"parameters\": [\"#4521\"], \"header\": " + header + "}}";
        HttpResponse<String> accepted = client().send(UUID.randomUUID().toString(), body);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        return OutboundClient.json(accepted).path("id").asText();
    }

    private OutboundClient client() {
        return new OutboundClient(apiPort);
    }

    /** A file uploaded to Meta as a CRM admin or a script would: multipart, with the WhatsApp token. */
    private static HttpResponse<String> upload(String type, byte[] bytes) throws Exception {
        HttpEntity form = MultipartEntityBuilder.create().addTextBody("messaging_product", "whatsapp")
                .addTextBody("type", type).addBinaryBody("file", bytes, ContentType.create(type), "file").build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        form.writeTo(out);
        return HTTP.send(HttpRequest.newBuilder(URI.create(DevServices.get().whatsapp().baseUrl() + "/v23.0/"
                + WhatsAppCloudEmulator.PHONE_NUMBER_ID + "/media"))
                .header("Authorization", "Bearer " + WhatsAppCloudEmulator.DEV_TOKEN)
                .header("Content-Type", form.getContentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(out.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
    }
}
