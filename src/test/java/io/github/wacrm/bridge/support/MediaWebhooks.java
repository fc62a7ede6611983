package io.github.wacrm.bridge.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppCloudEmulator;
import io.github.wacrm.bridge.emulator.whatsapp.WhatsAppMedia;

/** A media message's fixture naming a file the Cloud API emulator holds: its media id and its digest. */
public final class MediaWebhooks {

    private MediaWebhooks() {
    }

    /**
     * The fixture with this run, its media id and sha256 replaced (the entry's WABA id kept), and its wamid ending in
     * base64 padding as real ones often do ({@code ...AA=}): it must never be escaped into a URL path.
     */
    public static byte[] body(String fixture, String run, String mediaId, String sha256) {
        return new String(Fixtures.load(fixture, run), StandardCharsets.UTF_8)
                .replaceAll("\"id\": \"(wamid\\.[^\"]+)\"", "\"id\": \"$1=\"")
                .replaceAll("\"id\": \"(?!" + WhatsAppCloudEmulator.WABA_ID + ")[0-9]{12,20}\"", "\"id\": \"" + mediaId + "\"")
                .replaceAll("\"sha256\": \"[^\"]*\"", "\"sha256\": \"" + sha256 + "\"").getBytes(StandardCharsets.UTF_8);
    }

    /** The message's wamid. */
    public static String wamid(byte[] body) {
        return new String(body, StandardCharsets.UTF_8).replaceAll("(?s).*\"id\": \"(wamid\\.[^\"]+)\".*", "$1");
    }

    /** The SHA-256 of the bytes as most real webhooks write it: base64. */
    public static String base64Sha256(byte[] bytes) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(WhatsAppMedia.sha256(bytes)));
    }
}
