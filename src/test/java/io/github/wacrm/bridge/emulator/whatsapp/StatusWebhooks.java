package io.github.wacrm.bridge.emulator.whatsapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The status webhooks of the messages the emulator accepted, posted to the bridge as Meta posts them: one delivery per
 * status, signed with {@code X-Hub-Signature-256} (the app secret), carrying the message's
 * {@code biz_opaque_callback_data}, conversation and pricing; a failure carries Meta's {@code errors}. A delivery the
 * bridge does not answer 200 is delivered again, with a growing pause.
 */
final class StatusWebhooks implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "whatsapp-emulator-statuses");
        thread.setDaemon(true);
        return thread;
    });
    private volatile String target;
    private volatile String appSecret;

    void deliverTo(String url, String secret) {
        this.target = url;
        this.appSecret = secret;
    }

    /** A message's statuses, in this order, {@code gapMillis} apart; a {@code failed} carries {@code errorCode}. */
    void post(String wabaId, String phoneNumberId, String displayNumber, String wamid, String recipient, boolean bsuid,
            String callback, String category, List<String> statuses, Integer errorCode, long gapMillis) {
        long at = gapMillis;
        for (String status : statuses) {
            ObjectNode body = body(wabaId, phoneNumberId, displayNumber, wamid, recipient, bsuid, callback, category,
                    status, errorCode);
            scheduler.schedule(() -> send(body.toString(), 0), at, TimeUnit.MILLISECONDS);
            at += gapMillis;
        }
    }

    private ObjectNode body(String wabaId, String phoneNumberId, String displayNumber, String wamid, String recipient,
            boolean bsuid, String callback, String category, String status, Integer errorCode) {
        ObjectNode root = JSON.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode change = root.putArray("entry").addObject().put("id", wabaId).putArray("changes").addObject();
        change.put("field", "messages");
        ObjectNode value = change.putObject("value").put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", displayNumber).put("phone_number_id", phoneNumberId);
        ObjectNode s = value.putArray("statuses").addObject().put("id", wamid).put("status", status)
                .put("timestamp", String.valueOf(System.currentTimeMillis() / 1000));
        if (bsuid) {
            s.put("recipient_user_id", recipient);
        } else {
            s.put("recipient_id", recipient);
        }
        if (callback != null) {
            s.put("biz_opaque_callback_data", callback);
        }
        if (status.equals("failed")) {
            s.putArray("errors").addObject().put("code", errorCode == null ? 131026 : errorCode)
                    .put("title", "Message undeliverable").put("message", "Message undeliverable")
                    .putObject("error_data").put("details", "The message could not be delivered (emulator).");
        } else {
            s.putObject("conversation").put("id", "conv-" + wamid.hashCode()).putObject("origin")
                    .put("type", category.toLowerCase());
            s.putObject("pricing").put("billable", true).put("pricing_model", "PMP").put("category",
                    category.toLowerCase()).put("type", "regular");
        }
        return root;
    }

    /** One delivery; anything but a 200 is delivered again, as Meta does (here: 1, 2, 4 … 30 s apart, 20 tries). */
    private void send(String body, int tries) {
        if (target == null) {
            return;
        }
        int status = 0;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
            status = http.send(HttpRequest.newBuilder(URI.create(target)).timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json").header("X-Hub-Signature-256", signature)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception unreachable) {
            status = 0;
        }
        if (status != 200 && tries < 20 && !scheduler.isShutdown()) {
            scheduler.schedule(() -> send(body, tries + 1), Math.min(30_000L, 1000L << Math.min(tries, 5)),
                    TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
    }
}
