package io.github.wacrm.bridge.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

import io.github.wacrm.bridge.support.BridgeIntegrationTest;
import io.github.wacrm.bridge.support.DevServices;
import io.github.wacrm.bridge.support.TestIdentityProvider;

/**
 * Every door of the management port that changes something is locked and logged: 401 without a credential, 403 with
 * the wrong role, 2xx with the right one, for every operation; probes and scrapes open; every write and every refusal
 * a row of operator_action, which only the retention purge removes. The outbound API takes the same JWTs.
 */
class OperatorAccessTest extends BridgeIntegrationTest {

    @Autowired
    private CamelContext camel;

    @ParameterizedTest
    @CsvSource({"/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness",
            "/actuator/prometheus", "/actuator/info"})
    void probesAndScrapesNeedNoCredential(String path) throws Exception {
        assertThat(actuator("GET", path, null).statusCode()).isEqualTo(200);
    }

    /** Each operation, the role it needs, and a caller that is known but lacks that role. */
    @ParameterizedTest
    @CsvSource({
            "POST, /actuator/deadletters/webhooks, dead-letter-replay",
            "POST, /actuator/hubspot,              portal-setup",
            "GET,  /actuator/hubspot,              operator",
            "GET,  /actuator/metrics,              operator"})
    void everyOperationNeedsACallerWithItsRole(String method, String path, String role) throws Exception {
        HttpResponse<String> none = actuator(method, path, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(none.body()).contains("\"code\":\"unauthorized\"");
        assertThat(actuator(method, path, "not-a-token").statusCode()).isEqualTo(401);
        // the outbound API's token opens the outbound API only
        assertThat(actuator(method, path, DevServices.DEV_OUTBOUND_TOKEN).statusCode()).isEqualTo(401);

        String otherRole = role.equals("operator") ? "portal-setup" : "operator";
        HttpResponse<String> wrongRole = actuator(method, path, jwt("someone-else", List.of(otherRole)));
        assertThat(wrongRole.statusCode()).isEqualTo(403);
        assertThat(wrongRole.body()).contains("\"code\":\"forbidden\"");
        if (!role.equals("operator")) {
            assertThat(actuator(method, path, READER_TOKEN).statusCode()).isEqualTo(403);
        }

        assertThat(actuator(method, path, OPERATOR_TOKEN).statusCode()).isBetween(200, 299);
        assertThat(actuator(method, path, jwt("jane.ops@example.com", List.of(role))).statusCode())
                .isBetween(200, 299);
    }

    @Test
    void aWriteNoRuleNamesIsRefusedToEveryone() throws Exception {
        assertThat(actuator("POST", "/actuator/metrics", OPERATOR_TOKEN).statusCode()).isEqualTo(403);
        assertThat(actuator("DELETE", "/actuator/hubspot", OPERATOR_TOKEN).statusCode()).isEqualTo(403);
        assertThat(actuator("POST", "/actuator/metrics", null).statusCode()).isEqualTo(401);
    }

    @Test
    void aJwtIsRefusedWhenExpiredSignedByAnotherKeyOrNamingNoOne() throws Exception {
        String path = "/actuator/hubspot";
        assertThat(actuator("GET", path, TestIdentityProvider.jwt("jane", List.of("operator"),
                Instant.now().minusSeconds(600))).statusCode()).isEqualTo(401);
        assertThat(actuator("GET", path, TestIdentityProvider.jwtFromAnotherIssuer("jane", List.of("operator")))
                .statusCode()).isEqualTo(401);
        assertThat(actuator("GET", path, TestIdentityProvider.jwt(null, List.of("operator"),
                Instant.now().plusSeconds(600))).statusCode()).isEqualTo(401);
        // roles as one space-separated string, as some identity providers write them
        assertThat(actuator("GET", path, TestIdentityProvider.jwt("jane", "operator portal-setup",
                Instant.now().plusSeconds(600))).statusCode()).isEqualTo(200);
    }

    @Test
    void everyWriteAndEveryRefusalIsRecordedWithWhoWhatAndTheOutcome() throws Exception {
        Timestamp since = Timestamp.from(Instant.now().minusSeconds(1));
        assertThat(postActuator("/actuator/deadletters/webhooks").statusCode()).isEqualTo(200);
        actuator("POST", "/actuator/deadletters/salesforce", null);
        actuator("POST", "/actuator/deadletters/hubspot", READER_TOKEN);
        actuator("POST", "/actuator/hubspot", jwt("jane.ops@example.com", List.of("portal-setup")));
        actuator("GET", "/actuator/metrics", "not-a-token");
        actuator("GET", "/actuator/metrics", READER_TOKEN);
        actuator("GET", "/actuator/prometheus", null);

        assertThat(row(since, "POST /actuator/deadletters/webhooks")).containsEntry("actor", "ops")
                .containsEntry("via", "token").containsEntry("status", 200).containsEntry("outcome", "done");
        assertThat((String) row(since, "POST /actuator/deadletters/webhooks").get("detail"))
                .contains("\"replayed\":");
        assertThat(row(since, "POST /actuator/deadletters/salesforce")).containsEntry("actor", "anonymous")
                .containsEntry("via", "none").containsEntry("status", 401)
                .containsEntry("outcome", "refused_unauthenticated");
        assertThat(row(since, "POST /actuator/deadletters/hubspot")).containsEntry("actor", "reader")
                .containsEntry("status", 403).containsEntry("outcome", "refused_forbidden");
        assertThat(row(since, "POST /actuator/hubspot")).containsEntry("actor", "jane.ops@example.com")
                .containsEntry("via", "jwt").containsEntry("outcome", "done");
        // a refused read is recorded, a read that succeeds is not
        List<Map<String, Object>> reads = rows(since, "GET /actuator/metrics");
        assertThat(reads).anySatisfy(read -> assertThat(read).containsEntry("actor", "anonymous")
                .containsEntry("status", 401));
        assertThat(reads).noneSatisfy(read -> assertThat(read).containsEntry("status", 200));
        assertThat(rows(since, "GET /actuator/prometheus")).isEmpty();
    }

    @Test
    void theAuditIsAppendOnlyAndKeptForItsRetention() throws Exception {
        jdbc.update("INSERT INTO operator_action (at, actor, via, action, status, outcome) VALUES "
                + "(now() - interval '401 days', 'old-ops', 'token', 'POST /actuator/hubspot', 200, 'done'), "
                + "(now() - interval '399 days', 'kept-ops', 'token', 'POST /actuator/hubspot', 200, 'done')");
        assertThatThrownBy(() -> jdbc.update("UPDATE operator_action SET actor = 'someone' WHERE actor = 'kept-ops'"))
                .hasMessageContaining("append-only");

        camel.createProducerTemplate().sendBody("direct:whatsapp-retention-purge", null);

        assertThat(jdbc.queryForObject("SELECT count(*) FROM operator_action WHERE actor = 'old-ops'", Long.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM operator_action WHERE actor = 'kept-ops'", Long.class))
                .isEqualTo(1);
    }

    @Test
    void theOutboundApiTakesTheSameJwtsWithItsOwnRole() throws Exception {
        String path = "/api/v1/messages/00000000-0000-0000-0000-000000000000";
        assertThat(api(path, jwt("crm-flow", List.of("outbound-sender"))).statusCode()).isEqualTo(404);
        assertThat(api(path, jwt("crm-flow", List.of("operator"))).statusCode()).isEqualTo(403);
        assertThat(api(path, OPERATOR_TOKEN).statusCode()).isEqualTo(401);
        assertThat(api(path, DevServices.DEV_OUTBOUND_TOKEN).statusCode()).isEqualTo(404);
    }

    private static String jwt(String subject, List<String> roles) {
        return TestIdentityProvider.jwt(subject, roles, Instant.now().plusSeconds(600));
    }

    private HttpResponse<String> api(String path, String bearer) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + apiPort + path))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + bearer).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private Map<String, Object> row(Timestamp since, String action) {
        List<Map<String, Object>> rows = rows(since, action);
        assertThat(rows).as("operator_action rows of " + action).isNotEmpty();
        return rows.get(0);
    }

    private List<Map<String, Object>> rows(Timestamp since, String action) {
        return jdbc.queryForList("SELECT actor, via, status, outcome, detail FROM operator_action WHERE at >= ? "
                + "AND action = ? ORDER BY id DESC", since, action);
    }
}
