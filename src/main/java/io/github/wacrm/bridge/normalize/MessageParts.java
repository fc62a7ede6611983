package io.github.wacrm.bridge.normalize;

import static io.github.wacrm.bridge.normalize.MetaFields.NODES;
import static io.github.wacrm.bridge.normalize.MetaFields.array;
import static io.github.wacrm.bridge.normalize.MetaFields.epochSeconds;
import static io.github.wacrm.bridge.normalize.MetaFields.pick;
import static io.github.wacrm.bridge.normalize.MetaFields.putIfPresent;
import static io.github.wacrm.bridge.normalize.MetaFields.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of a message's or a status's payload, from Meta's objects to the canonical event's: media, interactive
 * replies, orders, system notices, reply and forward context, ad referrals, errors, a status's conversation and
 * pricing.
 */
final class MessageParts {

    private MessageParts() {
    }

    /** A message's payload: its type and what that type carries, its context, referral and errors. */
    static ObjectNode messagePayload(JsonNode m) {
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
            case "system" -> {
                p.set("system", system(m.path("system")));
                if (m.has("identity")) {
                    // customer_identity_changed: the customer's security code changed (a new phone, a reinstall)
                    p.set("identity", pick(m.path("identity"), "acknowledged", "created_timestamp", "hash"));
                }
            }
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
        // a message the customer wrote in a WhatsApp group the business is in
        putIfPresent(p, "groupId", text(m, "group_id"));
        return p;
    }

    /** A status's payload: the status, recipient type, callback data, conversation, pricing and errors. */
    static ObjectNode statusPayload(JsonNode s, String status) {
        ObjectNode p = NODES.objectNode();
        p.put("status", status);
        putIfPresent(p, "recipientType", text(s, "recipient_type"));
        if ("group".equals(text(s, "recipient_type"))) {
            putIfPresent(p, "groupId", text(s, "recipient_id"));
        }
        putIfPresent(p, "bizOpaqueCallbackData", text(s, "biz_opaque_callback_data"));
        if (s.has("conversation")) {
            p.set("conversation", conversation(s.path("conversation")));
        }
        if (s.has("pricing")) {
            p.set("pricing", pricing(s.path("pricing")));
        }
        if (s.has("errors")) {
            p.set("errors", errors(s.path("errors")));
        }
        return p;
    }

    static ObjectNode media(JsonNode media) {
        return pick(media, "id", "mime_type", "sha256", "filename", "url", "voice", "animated");
    }

    static ObjectNode interactive(JsonNode interactive) {
        String type = text(interactive, "type");
        ObjectNode out = NODES.objectNode().put("type", type);
        out.setAll(pick(interactive.path(type == null ? "" : type),
                "id", "title", "description", "name", "body", "response_json",
                // call_permission_reply: whether the customer lets the business call them, and until when
                "response", "expiration_timestamp", "is_permanent", "response_source"));
        return out;
    }

    static ObjectNode order(JsonNode order) {
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

    static ObjectNode system(JsonNode system) {
        ObjectNode out = NODES.objectNode();
        putIfPresent(out, "type", text(system, "type"));
        putIfPresent(out, "body", text(system, "body"));
        putIfPresent(out, "newWaId", text(system, "new_wa_id") != null ? text(system, "new_wa_id") : text(system, "wa_id"));
        putIfPresent(out, "newUserId", text(system, "new_user_id") != null ? text(system, "new_user_id") : text(system, "user_id"));
        putIfPresent(out, "customer", text(system, "customer"));
        return out;
    }

    static ObjectNode context(JsonNode context) {
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

    static ObjectNode referral(JsonNode referral) {
        return pick(referral, "source_url", "source_id", "source_type", "headline", "body", "media_type", "ctwa_clid");
    }

    static ArrayNode errors(JsonNode errors) {
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

    static ObjectNode conversation(JsonNode conv) {
        ObjectNode out = NODES.objectNode();
        putIfPresent(out, "id", text(conv, "id"));
        putIfPresent(out, "originType", text(conv.path("origin"), "type"));
        if (conv.has("expiration_timestamp")) {
            out.put("expiresAt", epochSeconds(conv.path("expiration_timestamp"), null));
        }
        return out;
    }

    static ObjectNode pricing(JsonNode pricing) {
        ObjectNode out = NODES.objectNode();
        if (pricing.has("billable")) {
            out.put("billable", pricing.path("billable").asBoolean());
        }
        putIfPresent(out, "pricingModel", text(pricing, "pricing_model"));
        putIfPresent(out, "category", text(pricing, "category"));
        putIfPresent(out, "type", text(pricing, "type"));
        return out;
    }
}
