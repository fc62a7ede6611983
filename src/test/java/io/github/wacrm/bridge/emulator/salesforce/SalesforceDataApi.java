package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The data API below {@code /services/data/vNN.N}, routed to its resources: version resources and limits, describe,
 * sObject Collections, query, composite, sObjects. The emulator checks the session and the faults first.
 */
final class SalesforceDataApi {

    private final SalesforceSObjectsApi sobjects;
    private final SalesforceCollectionsApi collections;
    private final SalesforceQueryApi queries;
    private final SalesforceDescribe describe;
    private final SalesforceCompositeApi composite;
    private final Consumer<String> counter;
    private final Supplier<SalesforceReply> limits;

    SalesforceDataApi(SalesforceOrg org, Consumer<String> counter, Supplier<SalesforceReply> limits) {
        this.sobjects = new SalesforceSObjectsApi(org);
        this.collections = new SalesforceCollectionsApi(org);
        this.queries = new SalesforceQueryApi(org);
        this.describe = new SalesforceDescribe(org.schema());
        this.composite = new SalesforceCompositeApi(this::serve, org);
        this.counter = counter;
        this.limits = limits;
    }

    SalesforceQueryApi queries() {
        return queries;
    }

    SalesforceReply serve(String method, String version, String rest, String rawQuery, byte[] body) {
        String[] parts = rest.substring(1).split("/");
        Map<String, String> query = UrlEncodedForm.parse(rawQuery == null ? "" : rawQuery);
        try {
            if (rest.equals("/") && method.equals("GET")) {
                return SalesforceDiscoveryApi.resources(version);
            }
            if (parts[0].equals("limits") && method.equals("GET")) {
                counter.accept("limits");
                return limits.get();
            }
            if (parts[0].equals("sobjects") && parts.length == 1 && method.equals("GET")) {
                counter.accept("describe_global");
                return new SalesforceReply(200, describe.global());
            }
            if (parts[0].equals("sobjects") && parts.length == 3 && parts[2].equals("describe") && method.equals("GET")) {
                counter.accept("describe");
                return describe.describe(parts[1]);
            }
            if (parts[0].equals("composite") && parts.length == 2 && parts[1].equals("sobjects")) {
                counter.accept("collections_" + method.toLowerCase());
                return switch (method) {
                    case "POST" -> collections.create(body);
                    case "PATCH" -> collections.update(body);
                    case "DELETE" -> collections.delete(query);
                    default -> new SalesforceReply(405, errors("METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed."));
                };
            }
            if (parts[0].equals("composite") && parts.length == 3 && parts[1].equals("sobjects")
                    && (method.equals("GET") || method.equals("POST"))) {
                counter.accept("collections_get");
                return method.equals("GET") ? collections.retrieve(parts[2], query) : collections.retrieve(parts[2], body);
            }
            if (parts[0].equals("query") && method.equals("GET")) {
                counter.accept(parts.length == 2 ? "query_more" : "query");
                return parts.length == 2 ? queries.queryMore(version, parts[1])
                        : queries.query(version, query.get("q"));
            }
            if (parts[0].equals("composite") && parts.length == 1 && method.equals("POST")) {
                counter.accept("composite");
                return composite.reply(body);
            }
            if (parts[0].equals("composite") && parts.length == 4 && parts[1].equals("sobjects") && method.equals("PATCH")) {
                counter.accept("collections_upsert");
                return collections.upsert(parts[2], parts[3], body);
            }
            if (parts[0].equals("sobjects")) {
                counter.accept("sobject_" + method.toLowerCase());
                return sobjects.reply(method, parts, body);
            }
        } catch (Soql.InvalidFieldException e) {
            return new SalesforceReply(400, errors("INVALID_FIELD", e.getMessage()));
        } catch (Soql.MalformedQueryException e) {
            return new SalesforceReply(400, errors("MALFORMED_QUERY", e.getMessage()));
        } catch (IOException e) {
            return new SalesforceReply(400, errors("JSON_PARSER_ERROR", "The request body is not valid JSON: " + e.getMessage()));
        }
        return new SalesforceReply(404, errors("NOT_FOUND", "The requested resource does not exist"));
    }
}
