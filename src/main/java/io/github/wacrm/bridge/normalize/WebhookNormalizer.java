package io.github.wacrm.bridge.normalize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;

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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.wacrm.bridge.identity.PhoneIdentity;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Splits one signed webhook delivery into one {@link CanonicalEvent} per fact: every entry, every change, every
 * message, every status, every user preference. A delivery that cannot be read as a WhatsApp envelope throws
 * {@link MalformedWebhookException} with a reason code, so the route can dead-letter it.
 */
@Component("webhookNormalizer")
public class WebhookNormalizer {

    public static final int MAX_NESTING_DEPTH = 64;
    private static final String ENVELOPE_OBJECT = "whatsapp_business_account";
    private static final Set<String> TEMPLATE_FIELDS = Set.of(
            "message_template_status_update", "template_category_update", "message_template_quality_update");
    private static final Set<String> PHONE_NUMBER_FIELDS = Set.of(
            "phone_number_quality_update", "phone_number_name_update");
    private static final Set<String> ACCOUNT_FIELDS = Set.of(
            "account_update", "account_review_update", "business_capability_update", "security");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ObjectMapper strictMapper;
    private final PhoneIdentity phoneIdentity;
    private final int maxTextCodePoints;

    public WebhookNormalizer(PhoneIdentity phoneIdentity) {
        this(phoneIdentity, TextBound.MAX_CODE_POINTS);
    }

    /** @param maxTextCodePoints the bound of any text of a fact ({@link TextBound}) */
    @Autowired
    public WebhookNormalizer(PhoneIdentity phoneIdentity,
            @Value("${whatsapp.normalize.max-text-code-points:"
                    + TextBound.MAX_CODE_POINTS + "}") int maxTextCodePoints) {
        this.phoneIdentity = phoneIdentity;
        this.maxTextCodePoints = maxTextCodePoints;
        JsonFactory factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                .build();
        this.strictMapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    /**
     * @param body       the raw bytes Meta signed
     * @param receivedAt ISO-8601 instant the intake acknowledged them (Kafka record header), or null
     */
    public List<CanonicalEvent> normalize(@Body byte[] body, @Header("whatsapp-received-at") String receivedAt) {
        JsonNode root = parse(body);
        if (!root.isObject() || !ENVELOPE_OBJECT.equals(root.path("object").asText(null))) {
            throw new MalformedWebhookException("not_whatsapp_envelope", "object is not " + ENVELOPE_OBJECT);
        }
        JsonNode entries = root.get("entry");
        if (entries == null || !entries.isArray() || entries.isEmpty()) {
            throw new MalformedWebhookException("not_whatsapp_envelope", "entry is missing or empty");
        }
        String received = receivedAt == null || receivedAt.isBlank() ? Instant.now().toString() : receivedAt;
        List<CanonicalEvent> events = new ArrayList<>();
        for (JsonNode entry : entries) {
            JsonNode changes = entry.get("changes");
            if (!entry.isObject() || changes == null || !changes.isArray()) {
                throw new MalformedWebhookException("not_whatsapp_envelope", "entry without a changes array");
            }
            for (JsonNode change : changes) {
                Context context = new Context(text(entry, "id"), entry.path("time"), change, received);
                events.addAll(eventsOf(context));
            }
        }
        if (events.isEmpty()) {
            throw new MalformedWebhookException("not_whatsapp_envelope", "no change in any entry");
        }
        return events;
    }

    private JsonNode parse(byte[] body) {
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

    private List<CanonicalEvent> eventsOf(Context c) {
        String field = c.field;
        JsonNode value = c.value;
        List<CanonicalEvent> events = new ArrayList<>();
        if ("messages".equals(field)) {
            for (JsonNode message : array(value, "messages")) {
                events.add(message(c, message));
            }
            for (JsonNode status : array(value, "statuses")) {
                events.add(status(c, status));
            }
            if (value.has("errors") && !value.has("messages") && !value.has("statuses")) {
                events.add(management(c, EventKind.ERROR, "waba:" + c.wabaId));
            }
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if ("user_preferences".equals(field)) {
            for (JsonNode preference : array(value, "user_preferences")) {
                events.add(userPreference(c, preference));
            }
            if (events.isEmpty()) {
                events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
            }
        } else if (TEMPLATE_FIELDS.contains(field)) {
            events.add(template(c));
        } else if (PHONE_NUMBER_FIELDS.contains(field)) {
            String number = c.phoneNumberId != null ? c.phoneNumberId : text(value, "display_phone_number");
            events.add(phoneNumber(c, "phone-number:" + (number != null ? number : c.wabaId)));
        } else if (ACCOUNT_FIELDS.contains(field)) {
            events.add(management(c, EventKind.ACCOUNT, "waba:" + c.wabaId));
        } else {
            events.add(management(c, EventKind.UNKNOWN, "waba:" + c.wabaId));
        }
        return events;
    }

    // ---------------------------------------------------------------- messages

    private CanonicalEvent message(Context c, JsonNode m) {
        CanonicalEvent e = base(c, EventKind.MESSAGE);
        e.messageId = text(m, "id");
        e.occurredAt = epochSeconds(m.path("timestamp"), c.fallbackTime());
        e.customer = customerOfMessage(c.value, m);
        e.dedupKey = e.messageId != null ? "message:" + e.messageId : "message:" + hash(c, m);
        e.partitionKey = partitionKey(e.customer, c);
        ObjectNode p = NODES.objectNode();
        String type = text(m, "type");
        p.put("type", type);
        switch (type == null ? "" : type) {
            case "text" -> p.put("text", text(m.path("text"), "body"));
            case "image", "video", "audio", "document", "sticker" -> {
                JsonNode media = m.path(type);
                p.set("media", media(media));
                putIfPresent(p, "caption", text(media, "caption"));
            }
            case "location" -> p.set("location", pick(m.path("location"), "latitude", "longitude", "name", "address", "url"));
            case "contacts" -> p.set("contacts", m.path("contacts").deepCopy());
            case "interactive" -> p.set("interactive", interactive(m.path("interactive")));
            case "button" -> p.set("button", pick(m.path("button"), "text", "payload"));
            case "reaction" -> {
                ObjectNode reaction = NODES.objectNode();
                putIfPresent(reaction, "messageId", text(m.path("reaction"), "message_id"));
                putIfPresent(reaction, "emoji", text(m.path("reaction"), "emoji"));
                p.set("reaction", reaction);
            }
            case "order" -> p.set("order", order(m.path("order")));
            case "system" -> p.set("system", system(m.path("system")));
            default -> {
                // unsupported, unknown, or a type newer than this version: keep the type's object as sent
                if (m.has(type)) {
                    p.set("content", m.get(type).deepCopy());
                }
            }
        }
        if (m.has("context")) {
            p.set("context", context(m.path("context")));
        }
        if (m.has("referral")) {
            p.set("referral", referral(m.path("referral")));
        }
        if (m.has("errors")) {
            p.set("errors", errors(m.path("errors")));
        }
        e.payload = p;
        return finish(e);
    }

    private Customer customerOfMessage(JsonNode value, JsonNode m) {
        Customer customer = new Customer();
        assignSenderId(customer, text(m, "from"));
        String fromUserId = text(m, "from_user_id");
        if (fromUserId != null) {
            customer.userId = fromUserId;
        }
        customer.parentUserId = text(m, "from_parent_user_id");
        JsonNode contact = matchingContact(value, customer.waId, customer.userId);
        if (contact != null) {
            if (customer.waId == null) {
                assignSenderId(customer, text(contact, "wa_id"));
            }
            if (customer.userId == null) {
                customer.userId = text(contact, "user_id");
            }
            if (customer.parentUserId == null) {
                customer.parentUserId = text(contact, "parent_user_id");
            }
            customer.profileName = text(contact.path("profile"), "name");
            customer.username = text(contact.path("profile"), "username");
            if (customer.username == null) {
                customer.username = text(contact, "username");
            }
        }
        return customer;
    }

    /** The customer a status or preference is about, with profile name and username from the change's contacts. */
    private static Customer customer(Context c, String phoneOrId, String userId, String parentUserId) {
        Customer customer = new Customer();
        assignSenderId(customer, phoneOrId);
        if (userId != null) {
            customer.userId = userId;
        }
        customer.parentUserId = parentUserId;
        JsonNode contact = matchingContact(c.value, customer.waId, customer.userId);
        if (contact != null) {
            customer.profileName = text(contact.path("profile"), "name");
            customer.username = text(contact.path("profile"), "username");
        }
        return customer;
    }

    /** A numeric id is a phone number; anything else (a BSUID) is kept as the user id, never as a phone. */
    private static void assignSenderId(Customer customer, String id) {
        if (id == null) {
            return;
        }
        if (PhoneIdentity.isPhoneNumber(id)) {
            customer.waId = id;
        } else if (customer.userId == null) {
            customer.userId = id;
        }
    }

    private static JsonNode matchingContact(JsonNode value, String waId, String userId) {
        JsonNode contacts = value.path("contacts");
        if (!contacts.isArray() || contacts.isEmpty()) {
            return null;
        }
        for (JsonNode contact : contacts) {
            if ((waId != null && waId.equals(text(contact, "wa_id")))
                    || (userId != null && userId.equals(text(contact, "user_id")))) {
                return contact;
            }
        }
        return contacts.size() == 1 ? contacts.get(0) : null;
    }

    private static ObjectNode media(JsonNode media) {
        return pick(media, "id", "mime_type", "sha256", "filename", "url", "voice", "animated");
    }

    private static ObjectNode interactive(JsonNode interactive) {
        String type = text(interactive, "type");
        ObjectNode out = NODES.objectNode().put("type", type);
        out.setAll(pick(interactive.path(type == null ? "" : type),
                "id", "title", "description", "name", "body", "response_json"));
        return out;
    }

    private static ObjectNode order(JsonNode order) {
        ObjectNode out = NODES.objectNode();
        putIfPresent(out, "catalogId", text(order, "catalog_id"));
        putIfPresent(out, "text", text(order, "text"));
        ArrayNode items = NODES.arrayNode();
        for (JsonNode item : array(order, "product_items")) {
            ObjectNode i = NODES.objectNode();
            putIfPresent(i, "productRetailerId", text(item, "product_retailer_id"));
            if (item.has("quantity")) {
                i.put("quantity", item.path("quantity").asInt());
            }
            if (item.has("item_price")) {
                i.put("itemPrice", item.path("item_price").decimalValue());
            }
            putIfPresent(i, "currency", text(item, "currency"));
            items.add(i);
        }
        out.set("items", items);
        return out;
    }

    private static ObjectNode system(JsonNode system) {
        ObjectNode out = NODES.objectNode();
        putIfPresent(out, "type", text(system, "type"));
        putIfPresent(out, "body", text(system, "body"));
        putIfPresent(out, "newWaId", text(system, "new_wa_id") != null ? text(system, "new_wa_id") : text(system, "wa_id"));
        putIfPresent(out, "newUserId", text(system, "new_user_id") != null ? text(system, "new_user_id") : text(system, "user_id"));
        putIfPresent(out, "customer", text(system, "customer"));
        return out;
    }

    private static ObjectNode context(JsonNode context) {
        ObjectNode out = NODES.objectNode();
        putIfPresent(out, "from", text(context, "from"));
        putIfPresent(out, "messageId", text(context, "id"));
        if (context.has("forwarded")) {
            out.put("forwarded", context.path("forwarded").asBoolean());
        }
        if (context.has("frequently_forwarded")) {
            out.put("frequentlyForwarded", context.path("frequently_forwarded").asBoolean());
        }
        if (context.has("referred_product")) {
            out.set("referredProduct", pick(context.path("referred_product"), "catalog_id", "product_retailer_id"));
        }
        return out;
    }

    private static ObjectNode referral(JsonNode referral) {
        return pick(referral, "source_url", "source_id", "source_type", "headline", "body", "media_type", "ctwa_clid");
    }

    private static ArrayNode errors(JsonNode errors) {
        ArrayNode out = NODES.arrayNode();
        for (JsonNode error : errors.isArray() ? errors : NODES.arrayNode()) {
            ObjectNode e = NODES.objectNode();
            if (error.has("code")) {
                e.put("code", error.path("code").asInt());
            }
            putIfPresent(e, "title", text(error, "title"));
            putIfPresent(e, "message", text(error, "message"));
            putIfPresent(e, "details", text(error.path("error_data"), "details"));
            putIfPresent(e, "href", text(error, "href"));
            out.add(e);
        }
        return out;
    }

    // ---------------------------------------------------------------- statuses

    private CanonicalEvent status(Context c, JsonNode s) {
        CanonicalEvent e = base(c, EventKind.STATUS);
        e.messageId = text(s, "id");
        String status = text(s, "status");
        e.occurredAt = epochSeconds(s.path("timestamp"), c.fallbackTime());
        Customer customer = customer(c, text(s, "recipient_id"), text(s, "recipient_user_id"),
                text(s, "recipient_parent_user_id"));
        e.customer = customer;
        e.dedupKey = e.messageId != null && status != null
                ? "status:" + e.messageId + ":" + status
                : "status:" + hash(c, s);
        e.partitionKey = partitionKey(customer, c);
        ObjectNode p = NODES.objectNode();
        p.put("status", status);
        putIfPresent(p, "recipientType", text(s, "recipient_type"));
        putIfPresent(p, "bizOpaqueCallbackData", text(s, "biz_opaque_callback_data"));
        if (s.has("conversation")) {
            JsonNode conv = s.path("conversation");
            ObjectNode out = NODES.objectNode();
            putIfPresent(out, "id", text(conv, "id"));
            putIfPresent(out, "originType", text(conv.path("origin"), "type"));
            if (conv.has("expiration_timestamp")) {
                out.put("expiresAt", epochSeconds(conv.path("expiration_timestamp"), null));
            }
            p.set("conversation", out);
        }
        if (s.has("pricing")) {
            JsonNode pricing = s.path("pricing");
            ObjectNode out = NODES.objectNode();
            if (pricing.has("billable")) {
                out.put("billable", pricing.path("billable").asBoolean());
            }
            putIfPresent(out, "pricingModel", text(pricing, "pricing_model"));
            putIfPresent(out, "category", text(pricing, "category"));
            putIfPresent(out, "type", text(pricing, "type"));
            p.set("pricing", out);
        }
        if (s.has("errors")) {
            p.set("errors", errors(s.path("errors")));
        }
        e.payload = p;
        return finish(e);
    }

    // ---------------------------------------------------------------- management fields

    private CanonicalEvent userPreference(Context c, JsonNode preference) {
        CanonicalEvent e = base(c, EventKind.USER_PREFERENCE);
        Customer customer = customer(c, text(preference, "wa_id"), text(preference, "user_id"),
                text(preference, "parent_user_id"));
        e.customer = customer;
        e.occurredAt = epochSeconds(preference.path("timestamp"), c.fallbackTime());
        e.dedupKey = "user_preference:" + hash(c, preference);
        e.partitionKey = partitionKey(customer, c);
        ObjectNode p = NODES.objectNode();
        putIfPresent(p, "category", text(preference, "category"));
        putIfPresent(p, "value", text(preference, "value"));
        putIfPresent(p, "detail", text(preference, "detail"));
        e.payload = p;
        return finish(e);
    }

    private CanonicalEvent template(Context c) {
        JsonNode v = c.value;
        String templateId = text(v, "message_template_id");
        CanonicalEvent e = management(c, EventKind.TEMPLATE, "template:" + (templateId != null ? templateId : c.wabaId));
        ObjectNode p = e.payload;
        putIfPresent(p, "templateId", templateId);
        putIfPresent(p, "templateName", text(v, "message_template_name"));
        putIfPresent(p, "language", text(v, "message_template_language"));
        putIfPresent(p, "status", text(v, "event"));
        putIfPresent(p, "reason", text(v, "reason"));
        putIfPresent(p, "category", text(v, "new_category") != null ? text(v, "new_category") : text(v, "category"));
        putIfPresent(p, "previousCategory", text(v, "previous_category"));
        putIfPresent(p, "qualityScore", text(v, "new_quality_score"));
        putIfPresent(p, "previousQualityScore", text(v, "previous_quality_score"));
        TextBound.apply(p, maxTextCodePoints);
        return e;
    }

    private CanonicalEvent phoneNumber(Context c, String partitionKey) {
        JsonNode v = c.value;
        CanonicalEvent e = management(c, EventKind.PHONE_NUMBER, partitionKey);
        ObjectNode p = e.payload;
        putIfPresent(p, "displayPhoneNumber", text(v, "display_phone_number"));
        putIfPresent(p, "event", text(v, "event"));
        putIfPresent(p, "currentLimit", text(v, "current_limit"));
        putIfPresent(p, "oldLimit", text(v, "old_limit"));
        putIfPresent(p, "decision", text(v, "decision"));
        putIfPresent(p, "requestedVerifiedName", text(v, "requested_verified_name"));
        putIfPresent(p, "rejectionReason", text(v, "rejection_reason"));
        TextBound.apply(p, maxTextCodePoints);
        return e;
    }

    private CanonicalEvent management(Context c, EventKind kind, String partitionKey) {
        CanonicalEvent e = base(c, kind);
        e.occurredAt = epochSeconds(c.value.path("timestamp"), c.fallbackTime());
        e.dedupKey = kind.wireName() + ":" + hash(c, c.value);
        e.partitionKey = partitionKey;
        ObjectNode p = NODES.objectNode();
        if (kind == EventKind.ERROR) {
            p.set("errors", errors(c.value.path("errors")));
        }
        p.set("value", c.value.deepCopy());
        e.payload = p;
        return finish(e);
    }

    // ---------------------------------------------------------------- shared pieces

    private CanonicalEvent base(Context c, EventKind kind) {
        CanonicalEvent e = new CanonicalEvent();
        e.kind = kind;
        e.field = c.field;
        e.wabaId = c.wabaId;
        e.phoneNumberId = c.phoneNumberId;
        e.businessDisplayPhone = c.displayPhone;
        e.receivedAt = c.receivedAt;
        return e;
    }

    private CanonicalEvent finish(CanonicalEvent e) {
        if (e.payload != null) {
            TextBound.apply(e.payload, maxTextCodePoints);
        }
        e.eventId = UUID.nameUUIDFromBytes(e.dedupKey.getBytes(StandardCharsets.UTF_8)).toString();
        return e;
    }

    private String partitionKey(Customer customer, Context c) {
        String identity = phoneIdentity.identityKey(customer.waId, customer.userId, customer.username);
        if (identity != null) {
            return identity;
        }
        return "phone-number:" + (c.phoneNumberId != null ? c.phoneNumberId : c.wabaId);
    }

    /** Content hash of one fact within its change: the same bytes from Meta give the same key on redelivery. */
    private static String hash(Context c, JsonNode fact) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(String.valueOf(c.field).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(String.valueOf(c.wabaId).getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(c.entryTime.asText("").getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(fact.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String epochSeconds(JsonNode node, String fallback) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        try {
            long seconds = node.isNumber() ? node.asLong() : Long.parseLong(node.asText().trim());
            return Instant.ofEpochSecond(seconds).toString();
        } catch (NumberFormatException | java.time.DateTimeException e) {
            return fallback;
        }
    }

    private static Iterable<JsonNode> array(JsonNode node, String name) {
        JsonNode array = node.path(name);
        return array.isArray() ? array : List.of();
    }

    private static ObjectNode pick(JsonNode node, String... names) {
        ObjectNode out = NODES.objectNode();
        for (String name : names) {
            if (node.has(name) && !node.get(name).isNull()) {
                out.set(camel(name), node.get(name).deepCopy());
            }
        }
        return out;
    }

    private static String camel(String snake) {
        StringBuilder out = new StringBuilder(snake.length());
        boolean upper = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return out.toString();
    }

    private static void putIfPresent(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }

    static String text(JsonNode node, String name) {
        JsonNode value = node == null ? null : node.get(name);
        if (value == null || value.isNull() || value.isContainerNode()) {
            return null;
        }
        return value.asText();
    }

    /** Where one change sits: its entry, field, value and business number. */
    private static final class Context {
        final String wabaId;
        final JsonNode entryTime;
        final String field;
        final JsonNode value;
        final String phoneNumberId;
        final String displayPhone;
        final String receivedAt;

        Context(String wabaId, JsonNode entryTime, JsonNode change, String receivedAt) {
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
    }
}
