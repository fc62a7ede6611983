package io.github.wacrm.bridge.emulator.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The WABA's message templates as the Graph API lists them ({@code GET /{waba-id}/message_templates}, cursor paging),
 * starting with {@code order_update} (en_US, UTILITY, APPROVED, two positional body parameters), {@code spring_sale}
 * (en_US, MARKETING, APPROVED, the named body parameter {@code first_name}), {@code old_promo} (REJECTED) and
 * {@code shipping_label} (en_US, UTILITY, APPROVED: a DOCUMENT header, one body parameter, a URL button with a variable
 * and a quick reply), {@code order_photo} (an IMAGE header) and {@code product_demo} (a VIDEO header).
 */
final class WhatsAppTemplates {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<ObjectNode> templates = new ArrayList<>();

    WhatsAppTemplates() {
        reset();
    }

    synchronized void reset() {
        templates.clear();
        add("1000000000000001", "order_update", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
                "Your order {{1}} is {{2}}. Reply here if anything is wrong.");
        add("1000000000000002", "spring_sale", "en_US", "APPROVED", "MARKETING", "NAMED",
                "Hi {{first_name}}, our spring sale starts today: 20% off everything.");
        add("1000000000000003", "old_promo", "en_US", "REJECTED", "MARKETING", "POSITIONAL", "Last chance: {{1}}");
        ObjectNode label = add("1000000000000004", "shipping_label", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
                "Your shipping label for order {{1}} is attached.");
        ArrayNode components = (ArrayNode) label.path("components");
        components.insertObject(0).put("type", "HEADER").put("format", "DOCUMENT");
        ArrayNode buttons = components.addObject().put("type", "BUTTONS").putArray("buttons");
        buttons.addObject().put("type", "URL").put("text", "Track").put("url", "https://track.example.com/{{1}}");
        buttons.addObject().put("type", "QUICK_REPLY").put("text", "Wrong address");
        ((ArrayNode) add("1000000000000005", "order_photo", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
                "Here is the photo of order {{1}} as we packed it.").path("components")).insertObject(0)
                .put("type", "HEADER").put("format", "IMAGE");
        ((ArrayNode) add("1000000000000006", "product_demo", "en_US", "APPROVED", "UTILITY", "POSITIONAL",
                "See {{1}} in action.").path("components")).insertObject(0).put("type", "HEADER").put("format", "VIDEO");
    }

    synchronized ObjectNode add(String id, String name, String language, String status, String category, String format,
            String body) {
        ObjectNode t = JSON.createObjectNode().put("name", name).put("parameter_format", format)
                .put("language", language).put("status", status).put("category", category).put("id", id);
        ArrayNode components = t.putArray("components");
        components.addObject().put("type", "BODY").put("text", body);
        templates.add(t);
        return t;
    }

    synchronized void setStatus(String name, String language, String status) {
        find(name, language).ifPresent(t -> t.put("status", status));
    }

    synchronized Optional<ObjectNode> find(String name, String language) {
        return templates.stream().filter(t -> t.path("name").asText().equals(name)
                && t.path("language").asText().equals(language)).findFirst();
    }

    synchronized boolean hasName(String name) {
        return templates.stream().anyMatch(t -> t.path("name").asText().equals(name));
    }

    /** One page, as Meta pages it: {@code data}, {@code paging.cursors.before/after}, {@code next} while more. */
    synchronized ObjectNode page(int limit, String after, String pageUrl) {
        int from = after == null ? 0 : Integer.parseInt(new String(java.util.Base64.getDecoder().decode(after)));
        int to = Math.min(templates.size(), from + Math.max(1, Math.min(limit, 100)));
        ObjectNode page = JSON.createObjectNode();
        ArrayNode data = page.putArray("data");
        templates.subList(from, to).forEach(t -> data.add(t.deepCopy()));
        ObjectNode paging = page.putObject("paging");
        ObjectNode cursors = paging.putObject("cursors");
        cursors.put("before", cursor(from)).put("after", cursor(to));
        if (to < templates.size()) {
            paging.put("next", pageUrl + "?limit=" + limit + "&after=" + cursor(to));
        }
        return page;
    }

    private static String cursor(int index) {
        return java.util.Base64.getEncoder().encodeToString(String.valueOf(index).getBytes());
    }
}
