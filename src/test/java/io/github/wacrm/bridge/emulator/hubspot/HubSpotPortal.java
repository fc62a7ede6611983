package io.github.wacrm.bridge.emulator.hubspot;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The state of an emulated HubSpot portal: properties (built-in and custom, with unique values), property groups,
 * records of contacts, communications, notes and tickets, and v4 associations. Every operation validates as HubSpot
 * does (unknown properties, enumeration values, dates, numbers, required properties on create, unique values) and
 * answers in HubSpot's shapes; {@link HubSpotEmulator} puts them on HTTP. One lock: each call is atomic.
 * <p>
 * The portal holds that lock and hands each call to the part that serves it: {@link HubSpotPropertySchema} (properties,
 * groups, checks of values), {@link HubSpotRecords} (the records and their unique values), {@link
 * HubSpotObjectOperations} (create, read, update, archive, pages, batches), {@link HubSpotSearch}, {@link
 * HubSpotAssociations} (also those given inline on create) and {@link HubSpotPipelines} (ticket pipelines).
 */
public final class HubSpotPortal {

    /** objectTypeId as HubSpot names them in association answers. */
    static final Map<String, String> TYPE_IDS = Map.of("contacts", "0-1", "tickets", "0-5", "communications", "0-18",
            "notes", "0-46", "calls", "0-48");

    /** A property's definition, as the properties API shows it. */
    public record Property(String name, String label, String type, String fieldType, String groupName, boolean unique,
            boolean custom, List<String> options) {
    }

    /** One record: HubSpot id and property values (as HubSpot keeps them, strings). */
    public static final class Record {
        final String id;
        final Map<String, String> properties = new LinkedHashMap<>();
        final Instant createdAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant updatedAt = createdAt;

        Record(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public Map<String, String> properties() {
            return properties;
        }

        public Instant createdAt() {
            return createdAt;
        }
    }

    /** An error HubSpot reports, for a whole call or one input ({@code subCategory} when HubSpot sends one). */
    public record Failure(int status, String category, String message, Map<String, List<String>> context,
            String subCategory) {

        public Failure(int status, String category, String message, Map<String, List<String>> context) {
            this(status, category, message, context, null);
        }
    }

    /** What a batch call answers: results, and per-input errors (a 207 when there are both). */
    public record BatchAnswer(List<Map<String, Object>> results, List<Failure> errors) {
    }

    private final HubSpotPipelines pipelines = new HubSpotPipelines();
    private final HubSpotPropertySchema schema = new HubSpotPropertySchema(pipelines);
    private final HubSpotRecords records = new HubSpotRecords(schema);
    private final HubSpotObjectOperations objects = new HubSpotObjectOperations(schema, records);
    private final HubSpotSearch search = new HubSpotSearch(records, schema);
    private final HubSpotAssociations associations = new HubSpotAssociations(records);

    public HubSpotPortal() {
        reset();
    }

    /** Back to a new portal: HubSpot's own properties only, no records. */
    public synchronized void reset() {
        schema.reset(TYPE_IDS.keySet());
        records.reset(TYPE_IDS.keySet());
        associations.clear();
        objects.reset();
    }

    /** Which file ids exist (the files API's): a note's {@code hs_attachment_ids} must name them. */
    public synchronized void knownFiles(java.util.function.Predicate<String> exists) {
        schema.knownFiles(exists);
    }

    /** Inputs whose values match are refused with VALIDATION_ERROR (like a portal's validation rule). */
    public synchronized void addValidationRule(Predicate<Map<String, String>> refuse) {
        schema.addValidationRule(refuse);
    }

    public synchronized void clearValidationRules() {
        schema.clearValidationRules();
        objects.clearTransientFailures();
    }

    /**
     * How HubSpot answers a batch with an invalid input. It documents per-input errors in a 207, but answers some
     * validation failures with a 400 for the whole call: some name the input they met first (and only that one, however
     * many more are bad: "Contact already exists. Existing ID: …" in HubSpot/hubspot-api-python#51, "Duplicate IDs
     * found in batch input: [...]"), others name none ("Property values were not valid: …").
     */
    public enum InvalidBatchAnswer {
        /** 207: the valid inputs written, an error per invalid one naming its unique value in {@code context}. */
        PER_INPUT,
        /** 400, nothing written, naming the first invalid input's unique value in {@code context}. */
        WHOLE_CALL_NAMING_FIRST,
        /** 400, nothing written, naming no input. */
        WHOLE_CALL_UNNAMED
    }

    /** How a batch upsert with an invalid input is answered from now on (until reset or clearValidationRules). */
    public synchronized void answerInvalidBatches(InvalidBatchAnswer answer) {
        objects.answerInvalidBatches(answer);
    }

    /** The next {@code times} batch upserts of this unique value fail for that input alone, with a passing error. */
    public synchronized void failInputTransiently(String type, String uniqueValue, int times) {
        objects.failInputTransiently(type, uniqueValue, times);
    }

    /** How many batch upsert inputs carried this unique value. */
    public synchronized int upsertInputs(String type, String uniqueValue) {
        return objects.upsertInputs(type, uniqueValue);
    }

    public static String canonicalType(String type) {
        return switch (type.toLowerCase()) {
            case "contact", "contacts", "0-1" -> "contacts";
            case "communication", "communications", "0-18" -> "communications";
            case "note", "notes", "0-46" -> "notes";
            case "ticket", "tickets", "0-5" -> "tickets";
            case "call", "calls", "0-48" -> "calls";
            default -> null;
        };
    }

    // ---- properties API ------------------------------------------------------------------------------------------

    public synchronized List<Property> properties(String type) {
        return schema.properties(type);
    }

    public synchronized Property property(String type, String name) {
        return schema.property(type, name);
    }

    public synchronized Failure createGroup(String type, String name) {
        return schema.createGroup(type, name);
    }

    public synchronized Set<String> groups(String type) {
        return schema.groups(type);
    }

    public synchronized Failure createGroup(String type, String name, String label, int displayOrder) {
        return schema.createGroup(type, name, label, displayOrder);
    }

    synchronized List<HubSpotPropertyDetails.Group> groupDefinitions(String type) {
        return schema.groupDefinitions(type);
    }

    public synchronized Failure createProperty(String type, Property property) {
        return schema.createProperty(type, property);
    }

    synchronized Failure createProperty(String type, Property property, HubSpotPropertyDetails details) {
        return schema.createProperty(type, property, details);
    }

    synchronized HubSpotPropertyDetails propertyDetails(String type, String name) {
        return schema.details(type, name);
    }

    /** Archives a custom property: null, or why HubSpot refuses (404 none, 400 one of HubSpot's own). */
    public synchronized Failure archiveProperty(String type, String name) {
        return schema.archiveProperty(type, name);
    }

    // ---- pipelines -----------------------------------------------------------------------------------------------

    /** The ticket pipelines as {@code GET /crm/v3/pipelines/tickets} answers them. */
    synchronized List<Map<String, Object>> ticketPipelines() {
        List<HubSpotPipelines.Pipeline> all = pipelines.tickets();
        return java.util.stream.IntStream.range(0, all.size()).mapToObj(i -> pipelines.body(all.get(i), i)).toList();
    }

    // ---- records -------------------------------------------------------------------------------------------------

    public synchronized BatchAnswer batchUpsert(String type, List<Map<String, Object>> inputs) {
        return objects.batchUpsert(type, inputs);
    }

    /** Batch create; the inputs' inline associations are checked first and stored with the records. */
    @SuppressWarnings("unchecked")
    public synchronized BatchAnswer batchCreate(String type, List<Map<String, Object>> inputs) {
        for (Map<String, Object> input : inputs) {
            Failure refused = associations.refusedInline(type, (List<Map<String, Object>>) input.getOrDefault(
                    "associations", List.of()));
            if (refused != null) {
                throw new BatchRefused(refused);
            }
        }
        BatchAnswer answer = objects.batchCreate(type, inputs);
        for (int i = 0; i < answer.results().size(); i++) {
            associations.associateInline(type, (String) answer.results().get(i).get("id"),
                    (List<Map<String, Object>>) inputs.get(i).getOrDefault("associations", List.of()));
        }
        return answer;
    }

    public synchronized BatchAnswer batchUpdate(String type, List<Map<String, Object>> inputs, String idProperty) {
        return objects.batchUpdate(type, inputs, idProperty);
    }

    public synchronized BatchAnswer batchRead(String type, List<String> ids, List<String> wanted, String idProperty) {
        return objects.batchRead(type, ids, wanted, idProperty);
    }

    /** Single create: the record's answer, or a failure (409 on a unique value already used). */
    @SuppressWarnings("unchecked")
    public synchronized Object create(String type, Map<String, Object> input) {
        List<Map<String, Object>> inline = (List<Map<String, Object>>) input.getOrDefault("associations", List.of());
        Failure refused = associations.refusedInline(type, inline);
        if (refused != null) {
            return refused;
        }
        Object created = objects.create(type, input);
        if (created instanceof Map<?, ?> result) {
            associations.associateInline(type, (String) result.get("id"), inline);
        }
        return created;
    }

    /** Archives a record (and its associations); false when there is none. */
    public synchronized boolean archive(String type, String id) {
        associations.forget(type, id);
        return records.remove(type, id);
    }

    /** A page of a type's records in id order: {@code results}, and {@code paging.next.after} when there are more. */
    public synchronized Map<String, Object> page(String type, int limit, String after, List<String> wanted) {
        return objects.page(type, limit, after, wanted);
    }

    public synchronized Object update(String type, String id, String idProperty, Map<String, Object> input) {
        return objects.update(type, id, idProperty, input);
    }

    public synchronized Map<String, Object> get(String type, String id, String idProperty, List<String> wanted) {
        return objects.get(type, id, idProperty, wanted);
    }

    /** Search: filterGroups (OR of ANDs) with HubSpot's operators ({@link HubSpotSearch}); sorted; paged. */
    public synchronized Map<String, Object> search(String type, Map<String, Object> request) {
        return search.search(type, request);
    }

    // ---- associations (v4) ---------------------------------------------------------------------------------------

    public synchronized BatchAnswer associate(String from, String to, List<Map<String, Object>> inputs) {
        return associations.associate(from, to, inputs);
    }

    public synchronized List<Map<String, Object>> associationsOf(String from, String to, List<String> ids) {
        return associations.associationsOf(from, to, ids);
    }

    /** v4 batch read: results, and a NO_ASSOCIATIONS_FOUND error for each input without associations. */
    public synchronized BatchAnswer readAssociations(String from, String to, List<String> ids) {
        return associations.read(from, to, ids);
    }

    // ---- checks for tests ----------------------------------------------------------------------------------------

    /** Records of a type whose property equals the value. */
    public synchronized List<Record> find(String type, String property, String value) {
        return records.find(type, property, value);
    }

    /** Every record of a type (a copy). */
    public synchronized List<Record> all(String type) {
        return records.all(type);
    }

    /** Every association from a type to another, as "fromId>toId". */
    public synchronized Set<String> associationPairs(String from, String to) {
        return associations.associationPairs(from, to);
    }

    public synchronized int count(String type) {
        return records.count(type);
    }

    /** Ids of the records of {@code to} associated from a record (any association type). */
    public synchronized List<String> associated(String from, String fromId, String to) {
        return associations.associated(from, fromId, to);
    }

    /** Association type ids between two records. */
    public synchronized Set<Integer> associationTypes(String from, String fromId, String to, String toId) {
        return associations.associationTypes(from, fromId, to, toId);
    }

    /** Sets a property as an agent would in HubSpot's UI (no validation). */
    public synchronized void edit(String type, String id, String property, String value) {
        records.edit(type, id, property, value);
    }

    /** A whole batch call refused (HubSpot answers it with one error and no results). */
    public static final class BatchRefused extends RuntimeException {
        private final transient Failure failure;

        BatchRefused(Failure failure) {
            super(failure.message());
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }
}
