package io.github.wacrm.bridge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotEmulator;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotFilesApi.StoredFile;
import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal.Record;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppMedia;
import io.github.wacrm.bridge.support.BothCrmsTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.MediaWebhooks;

/**
 * A customer's file, from the webhook to HubSpot's files: uploaded private through camel-http, attached with a note
 * on the contact, its outcome on the communication.
 */
class MediaToHubSpotTest extends BothCrmsTest {

    private static final Duration STORED = Duration.ofSeconds(60);
    private final HubSpotEmulator hubspot = DevServices.get().hubspot();
    private final WhatsAppMedia media = DevServices.get().whatsapp().media();

    @AfterEach
    void healHubSpot() {
        hubspot.files().maxFileBytes(100L * 1024 * 1024);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "message-image,    image/jpeg,             jpg",
            "message-audio,    audio/ogg; codecs=opus, ogg",
            "message-video,    video/mp4,              mp4",
            "message-document, application/pdf,        pdf",
            "message-sticker,  image/webp,             webp"})
    void eachMediaTypeBecomesAPrivateHubSpotFileNotedOnTheContact(String fixture, String mimeType, String extension)
            throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("a " + fixture + " of run " + run).repeat(200).getBytes(StandardCharsets.UTF_8);
        String wamid = post(fixture, run, media.add(bytes, mimeType), MediaWebhooks.base64Sha256(bytes));

        Record communication = awaitOutcome(wamid);
        assertThat(communication.properties()).containsEntry("whatsapp_media_status", "stored");
        String fileId = communication.properties().get("whatsapp_media_file_id");
        StoredFile file = hubspot.files().files().stream().filter(f -> f.id().equals(fileId)).findFirst().orElseThrow();
        assertThat(file.access()).isEqualTo("PRIVATE");
        assertThat(file.extension()).isEqualTo(extension);
        assertThat(file.folderPath()).isEqualTo("/WhatsApp");
        assertThat(file.sha256()).isEqualTo(WhatsAppMedia.sha256(bytes));

        List<Record> notes = portal.find("notes", "whatsapp_event_id", "media:" + wamid);
        assertThat(notes).singleElement().satisfies(note -> {
            assertThat(note.properties()).containsEntry("hs_attachment_ids", fileId);
            String contactId = portal.associated("communications", communication.id(), "contacts").get(0);
            assertThat(portal.associated("notes", note.id(), "contacts")).containsExactly(contactId);
        });
    }

    @Test
    void aSixtyMegabyteDocumentArrivesWhole() throws Exception {
        String run = Fixtures.newRun();
        long size = 60L * 1024 * 1024;
        String mediaId = media.addGenerated(size, run.hashCode() + 7L, "application/pdf");
        String wamid = post("message-document", run, mediaId, media.file(mediaId).sha256());

        Record communication = awaitOutcome(wamid);
        assertThat(communication.properties()).containsEntry("whatsapp_media_status", "stored");
        StoredFile file = hubspot.files().files().stream()
                .filter(f -> f.id().equals(communication.properties().get("whatsapp_media_file_id"))).findFirst()
                .orElseThrow();
        assertThat(file.size()).isEqualTo(size);
        assertThat(file.sha256()).isEqualTo(media.file(mediaId).sha256());
    }

    @Test
    void aFileHubSpotRefusesAsTooLargeIsRecordedOnTheCommunication() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("too large " + run).repeat(100).getBytes(StandardCharsets.UTF_8);
        hubspot.files().maxFileBytes(bytes.length - 1);
        String wamid = post("message-document", run, media.add(bytes, "application/pdf"),
                MediaWebhooks.base64Sha256(bytes));

        Record communication = awaitOutcome(wamid);
        assertThat(communication.properties().get("whatsapp_media_status"))
                .isEqualTo("failed: refused_by_hubspot: HTTP 413 VALIDATION_ERROR");
        assertThat(communication.properties()).doesNotContainKey("whatsapp_media_file_id");
        assertThat(portal.find("notes", "whatsapp_event_id", "media:" + wamid)).isEmpty();
    }

    @Test
    void bytesThatDoNotMatchTheirSha256NeverReachHubSpot() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("tampered " + run).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, "image/jpeg");
        media.tamper(mediaId);
        int files = hubspot.files().files().size();
        String wamid = post("message-image", run, mediaId, MediaWebhooks.base64Sha256(bytes));

        Record communication = awaitOutcome(wamid);
        assertThat(communication.properties().get("whatsapp_media_status")).startsWith("failed: sha256_mismatch");
        assertThat(hubspot.files().files().stream().filter(f -> f.sha256().equals(WhatsAppMedia.sha256(bytes))))
                .isEmpty();
        assertThat(hubspot.files().files().size()).isGreaterThanOrEqualTo(files);
    }

    private String post(String fixture, String run, String mediaId, String sha256) throws Exception {
        byte[] body = MediaWebhooks.body(fixture, run, mediaId, sha256);
        assertThat(postSigned(body).statusCode()).isEqualTo(200);
        return MediaWebhooks.wamid(body);
    }

    private Record awaitOutcome(String wamid) {
        return await().atMost(STORED).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Record> found = portal.find("communications", "whatsapp_message_id", wamid);
            return found.size() == 1 && found.get(0).properties().get("whatsapp_media_status") != null ? found.get(0)
                    : null;
        }, record -> record != null);
    }
}
