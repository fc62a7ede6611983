package io.github.wacrm.bridge.normalize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Reads the signed bytes of a delivery strictly: valid UTF-8, one JSON value and nothing after it, no key twice in
 * an object, nesting at most {@link #MAX_NESTING_DEPTH}; anything else is a {@link MalformedWebhookException} with its
 * reason code.
 */
final class DeliveryParser {

    static final int MAX_NESTING_DEPTH = 64;

    private final ObjectMapper strictMapper;

    DeliveryParser() {
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.strictMapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedWebhookException("empty_body", "the body is empty");
        }
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body));
        } catch (CharacterCodingException e) {
            throw new MalformedWebhookException("invalid_utf8", "the body is not valid UTF-8");
        }
        try {
            JsonNode root = strictMapper.readTree(body);
            if (root == null || root.isMissingNode()) {
                throw new MalformedWebhookException("not_json", "no JSON value in the body");
            }
            return root;
        } catch (StreamConstraintsException e) {
            throw new MalformedWebhookException("too_deep", "nesting deeper than " + MAX_NESTING_DEPTH);
        } catch (JsonEOFException e) {
            throw new MalformedWebhookException("truncated", "the JSON ends early at byte " + offset(e));
        } catch (JsonParseException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new MalformedWebhookException("duplicate_key", "an object repeats a key at byte " + offset(e));
            }
            throw new MalformedWebhookException("not_json", "invalid JSON at byte " + offset(e));
        } catch (IOException e) {
            throw new MalformedWebhookException("not_json", "invalid JSON: " + e.getClass().getSimpleName());
        }
    }

    private static long offset(JsonParseException e) {
        return e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
    }
}
