package io.github.wacrm.bridge.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.wacrm.bridge.emulator.salesforce.SalesforceContentApi.StoredFile;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceEmulator;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppMedia;
import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.Fixtures;
import io.github.wacrm.bridge.support.MediaWebhooks;
import io.github.wacrm.bridge.support.TopicProbe;

/**
 * A customer's file, from the webhook to Salesforce Files on its message record: fetched from the Cloud API emulator
 * with the token, checked against its sha256, inserted as a multipart ContentVersion through camel-http, its outcome
 * written on the record.
 */
class MediaToSalesforceTest extends BridgeIntegrationTest {

    private static final Duration STORED = Duration.ofSeconds(60);
    private static final String MEDIA_GROUP = "whatsapp-crm-bridge-salesforce-media";
    private final SalesforceEmulator salesforce = DevServices.get().salesforce();
    private final WhatsAppMedia media = DevServices.get().whatsapp().media();

    @AfterEach
    void healSalesforce() {
        salesforce.fileStorageLeft(Long.MAX_VALUE);
        media.expireNextUrls(0);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "message-image,    image/jpeg,            whatsapp-image,      jpg",
            "message-audio,    audio/ogg; codecs=opus, whatsapp-audio,      ogg",
            "message-video,    video/mp4,             whatsapp-video,      mp4",
            "message-document, application/pdf,       invoice-4521.pdf,    pdf",
            "message-sticker,  image/webp,            whatsapp-sticker,    webp"})
    void eachMediaTypeBecomesASalesforceFileOnItsMessageRecord(String fixture, String mimeType, String expectedName,
            String extension) throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("a " + fixture + " of run " + run).repeat(300).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, mimeType);
        String wamid = post(fixture, run, mediaId, MediaWebhooks.base64Sha256(bytes));

        Map<String, Object> message = awaitOutcome(wamid);
        assertThat(message.get("Media_Status__c")).isEqualTo("stored");
        StoredFile file = onlyFileOf((String) message.get("Id"));
        assertThat(file.contentVersionId()).isEqualTo(message.get("Media_File_Id__c"));
        assertThat(file.size()).isEqualTo(bytes.length);
        assertThat(file.sha256()).isEqualTo(WhatsAppMedia.sha256(bytes));
        Map<String, Object> version = salesforce.query("SELECT Title, PathOnClient, FileExtension FROM ContentVersion "
                + "WHERE Id = '" + file.contentVersionId() + "'").get(0);
        assertThat(version.get("FileExtension")).isEqualTo(extension);
        assertThat((String) version.get("PathOnClient")).startsWith(expectedName.replaceAll("\\.[a-z]+$", ""))
                .endsWith("." + extension);
    }

    @Test
    void aSixtyMegabyteDocumentIsStreamedThroughWhole() throws Exception {
        String run = Fixtures.newRun();
        long size = 60L * 1024 * 1024;
        String mediaId = media.addGenerated(size, run.hashCode(), "application/pdf");
        String wamid = post("message-document", run, mediaId, media.file(mediaId).sha256());

        Map<String, Object> message = awaitOutcome(wamid);
        assertThat(message.get("Media_Status__c")).isEqualTo("stored");
        StoredFile file = onlyFileOf((String) message.get("Id"));
        assertThat(file.size()).isEqualTo(size);
        assertThat(file.sha256()).isEqualTo(media.file(mediaId).sha256());
    }

    @Test
    void anExpiredUrlIsAskedForAgainAndTheFileStillArrives() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("expired url " + run).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, "image/jpeg");
        media.expireNextUrls(1);
        long lookups = media.lookups();
        String wamid = post("message-image", run, mediaId, MediaWebhooks.base64Sha256(bytes));

        Map<String, Object> message = awaitOutcome(wamid);
        assertThat(message.get("Media_Status__c")).isEqualTo("stored");
        assertThat(media.lookups() - lookups).isGreaterThanOrEqualTo(2);
        assertThat(onlyFileOf((String) message.get("Id")).sha256()).isEqualTo(WhatsAppMedia.sha256(bytes));
    }

    @Test
    void bytesThatDoNotMatchTheirSha256AreRefusedAndTheRefusalRecorded() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("tampered " + run).repeat(50).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, "image/jpeg");
        media.tamper(mediaId);
        String wamid = post("message-image", run, mediaId, MediaWebhooks.base64Sha256(bytes));

        Map<String, Object> message = awaitOutcome(wamid);
        assertThat((String) message.get("Media_Status__c")).startsWith("failed: sha256_mismatch");
        assertThat(message.get("Media_File_Id__c")).isNull();
        assertThat(filesOf((String) message.get("Id"))).isEmpty();
    }

    @Test
    void aMediaIdMetaNoLongerHasEndsAsARecordedFailure() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("forgotten " + run).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, "video/mp4");
        media.forget(mediaId);
        String wamid = post("message-video", run, mediaId, MediaWebhooks.base64Sha256(bytes));

        Map<String, Object> message = awaitOutcome(wamid);
        assertThat((String) message.get("Media_Status__c")).startsWith("failed: media_gone");
        assertThat(filesOf((String) message.get("Id"))).isEmpty();
    }

    @Test
    void aFileSalesforceHasNoRoomForIsRecordedWithSalesforcesReason() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("no room " + run).repeat(100).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, "application/pdf");
        salesforce.fileStorageLeft(bytes.length - 1);
        String wamid = post("message-document", run, mediaId, MediaWebhooks.base64Sha256(bytes));

        Map<String, Object> message = awaitOutcome(wamid);
        assertThat(message.get("Media_Status__c")).isEqualTo("failed: refused_by_salesforce: STORAGE_LIMIT_EXCEEDED");
        assertThat(filesOf((String) message.get("Id"))).isEmpty();
    }

    @Test
    void theSameFactReplayedAfterItsFileIsStoredStoresNothingMore() throws Exception {
        String run = Fixtures.newRun();
        byte[] bytes = ("replayed " + run).getBytes(StandardCharsets.UTF_8);
        String mediaId = media.add(bytes, "image/jpeg");
        String wamid;
        ConsumerRecord<String, byte[]> fact;
        try (TopicProbe facts = TopicProbe.open("whatsapp.facts")) {
            wamid = post("message-image", run, mediaId, MediaWebhooks.base64Sha256(bytes));
            fact = facts.await(r -> new String(r.value(), StandardCharsets.UTF_8).contains(wamid), 1, STORED).get(0);
        }
        Map<String, Object> message = awaitOutcome(wamid);
        long downloads = media.downloads();

        RecordMetadata replayed = replay(fact);
        awaitConsumed(replayed);
        assertThat(filesOf((String) message.get("Id"))).hasSize(1);
        assertThat(media.downloads()).isEqualTo(downloads);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /** Posts the fixture with this run, naming the emulator's media id and digest; the message's wamid. */
    private String post(String fixture, String run, String mediaId, String sha256) throws Exception {
        byte[] body = MediaWebhooks.body(fixture, run, mediaId, sha256);
        assertThat(postSigned(body).statusCode()).isEqualTo(200);
        return MediaWebhooks.wamid(body);
    }

    private Map<String, Object> awaitOutcome(String wamid) {
        return await().atMost(STORED).pollInterval(Duration.ofMillis(200)).until(() -> {
            List<Map<String, Object>> rows = salesforce.query("SELECT Id, Media_Status__c, Media_File_Id__c FROM "
                    + "WhatsApp_Message__c WHERE Wamid__c = '" + wamid + "'");
            return rows.size() == 1 && rows.get(0).get("Media_Status__c") != null ? rows.get(0) : null;
        }, row -> row != null);
    }

    private List<StoredFile> filesOf(String recordId) {
        return salesforce.files().stream().filter(f -> recordId.equals(f.firstPublishLocationId())).toList();
    }

    private StoredFile onlyFileOf(String recordId) {
        List<StoredFile> files = filesOf(recordId);
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private static RecordMetadata replay(ConsumerRecord<String, byte[]> fact) throws Exception {
        try (var producer = new KafkaProducer<String, byte[]>(Map.of("bootstrap.servers",
                DevServices.get().kafkaBrokers()), new StringSerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>("whatsapp.salesforce.replay", fact.key(), fact.value())).get();
        }
    }

    private static void awaitConsumed(RecordMetadata record) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", DevServices.get().kafkaBrokers()))) {
            await().atMost(STORED).pollInterval(Duration.ofMillis(200)).until(() -> {
                var committed = admin.listConsumerGroupOffsets(MEDIA_GROUP).partitionsToOffsetAndMetadata()
                        .get(5, TimeUnit.SECONDS).get(partition);
                return committed != null && committed.offset() > record.offset();
            });
        }
    }
}
