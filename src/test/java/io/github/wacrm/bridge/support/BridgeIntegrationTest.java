package io.github.wacrm.bridge.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.wacrm.bridge.BridgeApplication;
import io.github.wacrm.bridge.intake.SignatureVerifier;

/**
 * Base of every test that runs the whole application: one Spring context, one Kafka broker and one PostgreSQL for
 * the whole suite. Subclasses must not add configuration, so the context stays shared.
 */
@AutoConfigureObservability
// the per-event lines are DEBUG in production; the tests read them to prove they carry no personal data
@SpringBootTest(classes = BridgeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"logging.level.whatsapp-inbound-message=DEBUG", "logging.level.whatsapp-message-status=DEBUG",
                "management.server.port=0"})
public abstract class BridgeIntegrationTest {

    protected static final String APP_SECRET = DevServices.DEV_APP_SECRET;
    protected static final String PREVIOUS_APP_SECRET = DevServices.DEV_PREVIOUS_APP_SECRET;
    protected static final String VERIFY_TOKEN = DevServices.DEV_VERIFY_TOKEN;
    /** The operator token of the suite (name {@code ops}, every operator role). */
    protected static final String OPERATOR_TOKEN = DevServices.DEV_OPERATOR_TOKEN;
    /** An operator token (name {@code reader}) with the {@code operator} role only: reads, no replay, no setup. */
    protected static final String READER_TOKEN = "dev-reader-token";
    /** A token (name {@code dpo}) with the {@code erasure} role only: no operator token has it unless named. */
    protected static final String ERASURE_TOKEN = DevServices.DEV_ERASURE_TOKEN;
    protected static final String WEBHOOK_PATH = "/webhooks/whatsapp";
    protected static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A business number configured as a sales number: its conversations keep the customer as a Salesforce Lead. */
    public static final String SALES_PHONE_NUMBER_ID = "106540352249999";

    /** The directory of the secrets as files (empty at start), watched every 200 ms: a test may rotate a secret. */
    protected static final java.nio.file.Path SECRETS_DIR = secretsDir();

    /** The webhook listener's port, chosen free once for the suite. */
    protected static final int WEBHOOK_PORT = DevServices.freePort();

    /** The actuator's port (health, Prometheus, the operator commands). */
    @LocalManagementPort
    protected int managementPort;

    /** The outbound REST API's port (Spring MVC's server). */
    @LocalServerPort
    protected int apiPort;

    @Autowired
    protected JdbcTemplate jdbc;

    @DynamicPropertySource
    static void devServices(DynamicPropertyRegistry registry) {
        DevServices services = DevServices.get();
        services.applicationProperties().forEach((key, value) -> registry.add(key, () -> value));
        services.whatsapp().deliverStatusesTo("http://127.0.0.1:" + WEBHOOK_PORT + WEBHOOK_PATH, APP_SECRET);
        registry.add("whatsapp.webhook.app-secrets", () -> APP_SECRET + "," + PREVIOUS_APP_SECRET);
        registry.add("whatsapp.webhook.verify-token", () -> VERIFY_TOKEN);
        registry.add("PORT", () -> WEBHOOK_PORT);
        registry.add("whatsapp.secrets.dir", SECRETS_DIR::toString);
        registry.add("whatsapp.secrets.reload-ms", () -> "200");
        // a second operator token that may only read, and JWTs signed by the test identity provider's key
        registry.add("whatsapp.operators.tokens.reader", () -> READER_TOKEN);
        registry.add("whatsapp.operators.roles.reader", () -> "operator");
        registry.add("whatsapp.operators.tokens.dpo", () -> ERASURE_TOKEN);
        registry.add("whatsapp.operators.roles.dpo", () -> "erasure");
        registry.add("spring.security.oauth2.resourceserver.jwt.public-key-location",
                () -> "classpath:security/test-idp-public.pem");
        registry.add("whatsapp.retry.initial-delay-ms", () -> "100");
        registry.add("whatsapp.retry.max-delay-ms", () -> "1000");
        registry.add("whatsapp.salesforce.conversations.mode-by-phone-number-id." + SALES_PHONE_NUMBER_ID, () -> "lead");
        // the breaker tries Salesforce again soon after opening, so outage tests end quickly
        registry.add("whatsapp.salesforce.breaker.wait-duration-in-open-state-ms", () -> "2000");
        registry.add("whatsapp.hubspot.breaker.wait-duration-in-open-state-ms", () -> "2000");
        registry.add("whatsapp.hubspot.retry.initial-delay-ms", () -> "100");
        // a partition is reported stalled after 3 s without progress, checked every second
        registry.add("whatsapp.pipeline.stall-after-ms", () -> "3000");
        registry.add("whatsapp.pipeline.check-period-ms", () -> "1000");
        // a send whose answer was lost ends unknown after 15 s without a status, looked at every second
        registry.add("whatsapp.outbound.in-doubt-after", () -> "15s");
        registry.add("whatsapp.outbound.reconcile-ms", () -> "1000");
        // the numbers' quality rating read every 2 s, so a test sees a RED rating soon
        registry.add("whatsapp.outbound.number-sync-ms", () -> "2000");
    }

    /**
     * The shared HubSpot portal starts empty and the HubSpot sink starts once it has the bridge's properties: runs the
     * (idempotent) setup command, for tests that check HubSpot records.
     */
    protected void hubSpotPortalReady() throws Exception {
        HttpResponse<String> setup = postActuator("/actuator/hubspot");
        org.assertj.core.api.Assertions.assertThat(setup.body()).contains("\"ready\":true");
    }

    /** The records of a Salesforce object in the shared emulated org whose {@code field} is {@code value}. */
    protected static java.util.List<java.util.Map<String, Object>> salesforceWhere(String object, String field,
            String value) {
        return DevServices.get().salesforce().org().all(object).stream().filter(r -> value.equals(r.get(field)))
                .toList();
    }

    /** A Prometheus sample line of {@code name} carrying {@code tag}, whatever its other tags, with a non-zero value. */
    protected static String metric(String name, String tag) {
        return java.util.regex.Pattern.quote(name) + "\\{[^}]*" + java.util.regex.Pattern.quote(tag) + "[^}]*\\} [1-9]";
    }

    private static java.nio.file.Path secretsDir() {
        try {
            return java.nio.file.Files.createTempDirectory("whatsapp-bridge-secrets");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The port of this context's webhook listener; a test class with a context of its own overrides it. */
    protected int webhookPort() {
        return WEBHOOK_PORT;
    }

    protected URI webhookUri() {
        return URI.create("http://localhost:" + webhookPort() + WEBHOOK_PATH);
    }

    protected HttpResponse<String> postSigned(byte[] body) throws Exception {
        return post(body, SignatureVerifier.sign(body, APP_SECRET));
    }

    protected HttpResponse<String> post(byte[] body, String signature) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(webhookUri())
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header(SignatureVerifier.HEADER, signature);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** GET on the webhook listener (the subscription handshake). */
    protected HttpResponse<String> get(String pathAndQuery) throws Exception {
        return send(URI.create("http://localhost:" + webhookPort() + pathAndQuery));
    }

    /** GET on the actuator. */
    protected HttpResponse<String> actuator(String path) throws Exception {
        return send(URI.create("http://localhost:" + managementPort + path));
    }

    /** POST on the actuator (the replay and setup commands), as the suite's operator. */
    protected HttpResponse<String> postActuator(String path) throws Exception {
        return actuator("POST", path, OPERATOR_TOKEN);
    }

    /** A request to the actuator with a bearer credential ({@code null}: none). */
    protected HttpResponse<String> actuator(String method, String path, String bearer) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).method(method, HttpRequest.BodyPublishers.noBody());
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A POST to the actuator with a JSON body (the erasure command) and a bearer credential ({@code null}: none). */
    protected HttpResponse<String> postActuatorJson(String path, String bearer, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (bearer != null) {
            request.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Runs a sink's replay command and checks it copied at least one dead letter to the sink's replay topic. */
    protected void replayDeadLetters(String sink) throws Exception {
        HttpResponse<String> replay = postActuator("/actuator/deadletters/" + sink);
        org.assertj.core.api.Assertions.assertThat(replay.statusCode()).isEqualTo(200);
        org.assertj.core.api.Assertions.assertThat(replay.body()).contains("\"to\":\"whatsapp." + sink + ".replay\"")
                .containsPattern("\"replayed\":[1-9]");
    }

    private HttpResponse<String> send(URI uri) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
