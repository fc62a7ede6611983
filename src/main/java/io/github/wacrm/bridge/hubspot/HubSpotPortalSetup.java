package io.github.wacrm.bridge.hubspot;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The custom properties the HubSpot sink writes ({@link HubSpotSchema#PROPERTIES}), checked and created through the
 * properties API. {@code GET /actuator/hubspot} checks; {@code POST /actuator/hubspot} is the setup command: it creates
 * the {@code whatsapp} property group and every missing property, and changes nothing that exists (running it twice
 * changes nothing). The route {@code hubspot-portal-check} (routes/) asks {@link #readyForSink} every
 * {@code recheck-ms} and starts the sink route once every property is there; until then the log says what is missing
 * and how to create it. The setup command starts the sink through the same route, and creates the custom workflow
 * action's definition ({@link HubSpotActionSetup}, reported as {@code workflowAction}).
 */
@Component("hubspotPortalSetup")
@Endpoint(id = "hubspot")
public class HubSpotPortalSetup {

    static final String SINK_ROUTE = "hubspot-sink";
    private static final long SINK_START_WAIT_MILLIS = 10_000;
    /** The route that starts the sink (and ends the periodic check). */
    static final String SINK_START = "direct:hubspot-sink-start";
    private static final Logger LOG = LoggerFactory.getLogger(HubSpotPortalSetup.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSpotProperties properties;
    private final HubSpotRateLimit rateLimit;
    private final CamelContext camel;
    private final HubSpotAccessToken token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public HubSpotPortalSetup(HubSpotProperties properties, HubSpotRateLimit rateLimit, CamelContext camel,
            HubSpotAccessToken token) {
        this.properties = properties;
        this.token = token;
        this.rateLimit = rateLimit;
        this.camel = camel;
    }

    /**
     * What the portal lacks: properties (missing, or without unique values), and association types or a ticket
     * pipeline and stages other than the configuration names ({@link HubSpotPortalConfiguration}).
     */
    public record Report(boolean ready, List<String> missing, List<String> notUnique, List<String> configuration,
            List<String> created, boolean sinkStarted, HubSpotActionSetup.Outcome workflowAction) {

        Report withAction(HubSpotActionSetup.Outcome action) {
            return new Report(ready, missing, notUnique, configuration, created, sinkStarted, action);
        }
    }

    private HubSpotActionSetup actionSetup;

    /** The workflow action's definition, created and checked with the properties (absent in unit tests). */
    @org.springframework.beans.factory.annotation.Autowired(required = false)
    void setActionSetup(HubSpotActionSetup actionSetup) {
        this.actionSetup = actionSetup;
    }

    /**
     * Filter of the {@code hubspot-portal-check} route: true once the portal has every property (created first when
     * {@code create-missing-properties} is on). Otherwise logs what is missing, or why the portal could not be asked,
     * and answers false; never throws, so the check simply runs again.
     */
    public boolean readyForSink() {
        if (sinkStarted()) {
            // the setup command started it meanwhile: nothing to ask the portal, the check just ends
            return true;
        }
        try {
            Report report = properties.createMissingProperties() ? inspect(true) : inspect(false);
            if (!report.missing().isEmpty() || !report.notUnique().isEmpty()) {
                LOG.error("HubSpot sink not started: the portal lacks the bridge's properties {}{}. Create them with "
                        + "the setup command: curl -H 'Authorization: Bearer <operator token>' -X POST "
                        + "http://<pod>:<management-port>/actuator/hubspot (or set "
                        + "whatsapp.hubspot.create-missing-properties=true). Facts wait in Kafka.", report.missing(),
                        report.notUnique().isEmpty() ? "" : "; these exist without unique values (delete or rename "
                                + "them, then run the setup command): " + report.notUnique());
            }
            if (!report.configuration().isEmpty()) {
                LOG.error("HubSpot sink not started: the portal differs from the bridge's configuration: {}. Set the "
                        + "named whatsapp.hubspot.* values to what the portal has. Facts wait in Kafka.",
                        report.configuration());
            }
            return report.ready();
        } catch (IOException | RuntimeException unreachable) {
            LOG.error("HubSpot sink not started: could not check the portal's properties ({}); checking again in "
                    + "whatsapp.hubspot.recheck-ms", unreachable.getMessage());
            return false;
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Checks the portal; starts the sink when everything is there. */
    @ReadOperation
    public Report check() throws IOException, InterruptedException {
        return withAction(withSink(inspect(false)), false);
    }

    /** The setup command: creates the group and the missing properties, then starts the sink. */
    @WriteOperation
    public Report setup() throws IOException, InterruptedException {
        return withAction(withSink(inspect(true)), true);
    }

    private Report withAction(Report report, boolean create) throws InterruptedException {
        if (actionSetup == null) {
            return report;
        }
        try {
            return report.withAction(actionSetup.apply(create));
        } catch (IOException | RuntimeException failed) {
            // the properties' part stands: the report says why the action's part did not
            return report.withAction(new HubSpotActionSetup.Outcome("failed", null, failed.getMessage()));
        }
    }

    private Report withSink(Report report) {
        if (!report.ready() || !properties.enabled() || camel == null) {
            return report;
        }
        try {
            camel.createFluentProducerTemplate().to(SINK_START).send();
        } catch (RuntimeException e) {
            LOG.error("HubSpot sink could not start", e);
        }
        // the route starts asynchronously (hubspot-sink-start): wait a little for it
        long until = System.currentTimeMillis() + SINK_START_WAIT_MILLIS;
        while (!sinkStarted() && System.currentTimeMillis() < until) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return new Report(true, report.missing(), report.notUnique(), report.configuration(), report.created(),
                sinkStarted(), null);
    }

    private boolean sinkStarted() {
        if (camel == null) {
            return false;
        }
        org.apache.camel.ServiceStatus sink = camel.getRouteController().getRouteStatus(SINK_ROUTE);
        return sink != null && sink.isStarted();
    }

    private synchronized Report inspect(boolean create) throws IOException, InterruptedException {
        List<String> missing = new ArrayList<>();
        List<String> notUnique = new ArrayList<>();
        List<String> created = new ArrayList<>();
        Map<String, Map<String, JsonNode>> existing = new HashMap<>();
        for (HubSpotSchema.Property property : HubSpotSchema.PROPERTIES) {
            Map<String, JsonNode> ofType = existing.get(property.objectType());
            if (ofType == null) {
                ofType = list(property.objectType());
                existing.put(property.objectType(), ofType);
                if (create && ofType.values().stream().noneMatch(p -> HubSpotSchema.GROUP.equals(p.path("groupName").asText()))) {
                    createGroup(property.objectType());
                }
            }
            String name = property.objectType() + "." + property.name();
            JsonNode found = ofType.get(property.name());
            if (found == null) {
                if (create) {
                    createProperty(property);
                    created.add(name);
                } else {
                    missing.add(name);
                }
            } else if (property.unique() && !found.path("hasUniqueValue").asBoolean(false)) {
                notUnique.add(name);
            }
        }
        if (!created.isEmpty()) {
            LOG.info("Created HubSpot properties {}", created);
        }
        List<String> configuration = new HubSpotPortalConfiguration(properties)
                .problems(path -> send("GET", path, null, 200));
        return new Report(missing.isEmpty() && notUnique.isEmpty() && configuration.isEmpty(), missing, notUnique,
                configuration, created, false, null);
    }

    private Map<String, JsonNode> list(String objectType) throws IOException, InterruptedException {
        JsonNode answer = send("GET", properties.propertiesPath(objectType, ""), null, 200);
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode property : answer.path("results")) {
            byName.put(property.path("name").asText(), property);
        }
        return byName;
    }

    private void createGroup(String objectType) throws IOException, InterruptedException {
        ObjectNode group = JSON.createObjectNode().put("name", HubSpotSchema.GROUP).put("label", "WhatsApp")
                .put("displayOrder", -1);
        send("POST", properties.propertiesPath(objectType, "/groups"), group, 201);
    }

    private void createProperty(HubSpotSchema.Property property) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode()
                .put("name", property.name())
                .put("label", property.label())
                .put("type", property.type())
                .put("fieldType", property.fieldType())
                .put("groupName", HubSpotSchema.GROUP)
                .put("description", "Written by the WhatsApp CRM bridge")
                .put("hasUniqueValue", property.unique());
        send("POST", properties.propertiesPath(property.objectType(), ""), body, 201);
    }

    /**
     * One properties-API call within the pod's request budget (the sink's, shared); a 429 is waited out (a second
     * more each time, ten times at most); 409 (already exists) counts as done.
     */
    private JsonNode send(String method, String path, JsonNode body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(properties.baseUrl() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", token.bearer())
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        HttpResponse<byte[]> response;
        int throttled = 0;
        while (true) {
            HubSpotRateLimit.Slot slot = rateLimit.acquire();
            try {
                response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            } finally {
                rateLimit.answered(slot);
            }
            HttpResponse<byte[]> answered = response;
            rateLimit.observe(name -> answered.headers().firstValue(name).orElse(null));
            if (response.statusCode() != 429 || ++throttled > 10
                    || new String(response.body(), java.nio.charset.StandardCharsets.UTF_8).contains("DAILY")) {
                break;
            }
            rateLimit.pauseFor(1_000L * throttled);
        }
        int status = response.statusCode();
        if (status == expected || status == 200 || status == 201 || status == 409) {
            return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        }
        String answer = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        if (status == 401 || status == 403) {
            throw new IOException("HubSpot refused the token (" + status + "): check HUBSPOT_ACCESS_TOKEN and the "
                    + "app's scopes (the setup command needs the schema write scopes) " + abbreviate(answer));
        }
        throw new IOException("HubSpot answered " + status + " to " + method + " " + path + ": " + abbreviate(answer));
    }

    private static String abbreviate(String text) {
        return text.length() > 300 ? text.substring(0, 300) : text;
    }
}
