package io.github.wacrm.bridge.media;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The media routes' settings ({@code whatsapp.media.*}).
 *
 * @param maxFileBytes          the largest file fetched from Meta (WhatsApp allows documents up to 100 MB); a larger
 *                              one is recorded as too large, never fetched
 * @param salesforceMaxFileBytes the largest file sent to Salesforce Files (a multipart ContentVersion insert takes
 *                              2 GB; an org may allow less)
 * @param hubspotMaxFileBytes   the largest file sent to HubSpot's files API (the portal's limit applies: a larger file it
 *                              refuses is recorded with HubSpot's answer)
 * @param messageRecordWait     how long a file waits for its message record (written by the sink) before it is
 *                              dead-lettered as message_record_missing
 * @param maxUrlLookups         short-lived URLs asked for one file in one try, when each expires before its download
 * @param tempDir               where files are kept while they travel (empty: the JVM's temporary directory)
 */
@ConfigurationProperties("whatsapp.media")
public record MediaProperties(long maxFileBytes, long salesforceMaxFileBytes, long hubspotMaxFileBytes,
        Duration messageRecordWait,
        int maxUrlLookups, String tempDir) {

    public MediaProperties {
        maxFileBytes = maxFileBytes > 0 ? maxFileBytes : 104_857_600L;
        salesforceMaxFileBytes = salesforceMaxFileBytes > 0 ? salesforceMaxFileBytes : 2_147_483_648L;
        hubspotMaxFileBytes = hubspotMaxFileBytes > 0 ? hubspotMaxFileBytes : 104_857_600L;
        messageRecordWait = messageRecordWait != null ? messageRecordWait : Duration.ofMinutes(30);
        maxUrlLookups = maxUrlLookups > 0 ? maxUrlLookups : 3;
    }

    public Path temporaryDirectory() {
        return Path.of(tempDir == null || tempDir.isBlank() ? System.getProperty("java.io.tmpdir") : tempDir);
    }
}
