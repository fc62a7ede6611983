package io.github.wacrm.bridge.normalize;

import static io.github.wacrm.bridge.normalize.MetaFields.NODES;
import static io.github.wacrm.bridge.normalize.MetaFields.epochSeconds;
import static io.github.wacrm.bridge.normalize.MetaFields.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;

/** One change of a delivery and where it sits: its entry (WABA, time), field, value and business number. */
final class Change {

    final String wabaId;
    final JsonNode entryTime;
    final String field;
    final JsonNode value;
    final String phoneNumberId;
    final String displayPhone;
    final String receivedAt;

    Change(String wabaId, JsonNode entryTime, JsonNode change, String receivedAt) {
        this.wabaId = wabaId;
        this.entryTime = entryTime;
        this.field = text(change, "field");
        JsonNode v = change.path("value");
        this.value = v.isObject() ? v : NODES.objectNode();
        this.phoneNumberId = text(value.path("metadata"), "phone_number_id");
        this.displayPhone = text(value.path("metadata"), "display_phone_number");
        this.receivedAt = receivedAt;
    }

    String fallbackTime() {
        String entry = epochSeconds(entryTime, null);
        return entry != null ? entry : receivedAt;
    }

    /** Content hash of one fact within its change: the same bytes from Meta give the same key on redelivery. */
    String hash(JsonNode fact) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.valueOf(field).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(wabaId).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(entryTime.asText("").getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(fact.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
