package io.github.wacrm.bridge.media;

import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 as Meta writes it: webhooks carry it in base64 ({@code Y9vvGyeo3n76...qas=}, most real bodies) or in hex
 * (64 characters); the media lookup answers one of the two. Text that is neither 32 bytes of base64 nor 64 hex digits
 * names no digest (the sample values of Meta's reference such as {@code IMAGE_HASH}, a value cut short) and checks
 * nothing: the lookup's digest is used instead, and with none the file is refused as {@code sha256_unknown}.
 */
final class Sha256Text {

    private Sha256Text() {
    }

    /** The 32 bytes the text names, or null. */
    static byte[] decode(String text) {
        if (text == null) {
            return null;
        }
        String t = text.trim();
        if (t.matches("[0-9a-fA-F]{64}")) {
            return HexFormat.of().parseHex(t);
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(t);
            return bytes.length == 32 ? bytes : null;
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
    }
}
