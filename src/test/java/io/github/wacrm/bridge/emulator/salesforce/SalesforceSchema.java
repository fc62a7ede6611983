package io.github.wacrm.bridge.emulator.salesforce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The objects and fields the emulated org knows: a few standard fields of Contact, Lead and Case, plus every custom
 * object and field of the shipped Salesforce metadata ({@code salesforce/force-app}). The emulator refuses any other
 * field, as a real org would, so the bridge's mapping cannot drift from the metadata.
 */
public final class SalesforceSchema {

    public record Field(String name, String type, int length, boolean externalId, boolean unique, String formula,
            List<String> restrictedValues, String referenceTo, String relationshipName, boolean createable) {

        boolean isFormula() {
            return formula != null;
        }
    }

    public record SObject(String name, String keyPrefix, Map<String, Field> fields, List<String> requiredOnCreate) {

        Optional<Field> field(String fieldName) {
            return Optional.ofNullable(fields.get(fieldName));
        }

        Optional<Field> relationship(String relationshipName) {
            return fields.values().stream().filter(f -> relationshipName.equals(f.relationshipName())).findFirst();
        }
    }

    private final Map<String, SObject> objects = new LinkedHashMap<>();

    public static SalesforceSchema fromMetadata(Path sourceDir) {
        SalesforceSchema schema = new SalesforceSchema();
        schema.standardObjects();
        Path objectsDir = sourceDir.resolve("main/default/objects");
        try (Stream<Path> dirs = Files.list(objectsDir)) {
            for (Path dir : dirs.sorted().toList()) {
                schema.readObject(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read Salesforce metadata under " + objectsDir, e);
        }
        // Activity's custom fields are the fields of every Task (and Event) of the org
        SObject activity = schema.objects.remove("Activity");
        if (activity != null) {
            activity.fields().forEach((name, field) -> {
                if (name.endsWith("__c")) {
                    schema.objects.get("Task").fields().put(name, field);
                }
            });
        }
        return schema;
    }

    /** Every object the org knows, in the order they were read. */
    public java.util.Collection<SObject> objects() {
        return java.util.Collections.unmodifiableCollection(objects.values());
    }

    public Optional<SObject> object(String name) {
        return Optional.ofNullable(objects.get(name));
    }

    /** The object a record id belongs to (its first three characters are the object's key prefix); null if none. */
    public String objectOfId(String id) {
        if (id == null || id.length() < 3) {
            return null;
        }
        return objects.values().stream().filter(o -> id.startsWith(o.keyPrefix())).map(SObject::name).findFirst()
                .orElse(null);
    }

    private void standardObjects() {
        standard("Contact", "003", List.of("LastName"),
                text("FirstName", 40), text("LastName", 80), text("MobilePhone", 40), text("Phone", 40),
                text("Email", 80), text("Name", 121, false));
        standard("Lead", "00Q", List.of("LastName", "Company"),
                text("FirstName", 40), text("LastName", 80), text("Company", 255), text("MobilePhone", 40),
                text("Status", 40), text("LeadSource", 40), text("Name", 121, false));
        standard("Case", "500", List.of(),
                text("Subject", 255), text("Status", 40), text("Origin", 40), text("Priority", 40),
                new Field("Description", "LongTextArea", 32000, false, false, null, List.of(), null, null, true),
                new Field("ContactId", "Lookup", 18, false, false, null, List.of(), "Contact", "Contact", true),
                new Field("IsClosed", "Checkbox", 0, false, false, null, List.of(), null, null, false),
                text("CaseNumber", 30, false));
        // a Task (an activity): the call fields of Salesforce CRM Call Center; custom fields come from Activity
        standard("Task", "00T", List.of("Status", "Priority"),
                text("Subject", 255), text("Status", 40), text("Priority", 40), text("TaskSubtype", 40),
                text("CallType", 40), text("CallDisposition", 255), text("Type", 40),
                new Field("CallDurationInSeconds", "Number", 0, false, false, null, List.of(), null, null, true),
                new Field("ActivityDate", "Date", 0, false, false, null, List.of(), null, null, true),
                new Field("Description", "LongTextArea", 32000, false, false, null, List.of(), null, null, true),
                new Field("WhoId", "Lookup", 18, false, false, null, List.of(), "Contact,Lead", "Who", true),
                new Field("WhatId", "Lookup", 18, false, false, null, List.of(), "Case", "What", true));
        // Salesforce Files: inserted through SalesforceContentApi, which sets the document, size and checksum
        standard("ContentVersion", "068", List.of("PathOnClient"),
                text("Title", 255), text("PathOnClient", 500), text("Description", 1000),
                new Field("FirstPublishLocationId", "Text", 18, false, false, null, List.of(), null, null, true),
                text("ContentDocumentId", 18), new Field("ContentSize", "Number", 0, false, false, null, List.of(), null,
                        null, true),
                text("Checksum", 50), text("FileExtension", 40));
    }

    private static Field text(String name, int length) {
        return text(name, length, true);
    }

    private static Field text(String name, int length, boolean createable) {
        return new Field(name, "Text", length, false, false, null, List.of(), null, null, createable);
    }

    private void standard(String name, String prefix, List<String> required, Field... fields) {
        Map<String, Field> byName = new LinkedHashMap<>();
        for (Field field : fields) {
            byName.put(field.name(), field);
        }
        objects.put(name, new SObject(name, prefix, byName, required));
    }

    private void readObject(Path dir) throws IOException {
        String name = dir.getFileName().toString();
        SObject object = objects.get(name);
        if (object == null) {
            // a platform event (__e) has no Name, and its ids start with e0
            boolean event = name.endsWith("__e");
            String prefix = (event ? "e0" : "a0") + (char) ('A' + objects.size());
            object = new SObject(name, prefix, new LinkedHashMap<>(), List.of());
            if (!event) {
                object.fields().put("Name", text("Name", 80, false));
            }
            objects.put(name, object);
        }
        Path fieldsDir = dir.resolve("fields");
        if (!Files.isDirectory(fieldsDir)) {
            return;
        }
        try (Stream<Path> files = Files.list(fieldsDir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".field-meta.xml")).sorted().toList()) {
                Field field = readField(file);
                object.fields().put(field.name(), field);
            }
        }
    }

    private static Field readField(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            Document doc = factory.newDocumentBuilder().parse(file.toFile());
            Element root = doc.getDocumentElement();
            String type = child(root, "type");
            String formula = child(root, "formula");
            String length = child(root, "length");
            List<String> values = new ArrayList<>();
            if ("true".equals(child(root, "restricted")) || root.getElementsByTagNameNS("*", "restricted").getLength() > 0) {
                NodeList nodes = root.getElementsByTagNameNS("*", "value");
                for (int i = 0; i < nodes.getLength(); i++) {
                    values.add(child((Element) nodes.item(i), "fullName"));
                }
            }
            int size = length != null ? Integer.parseInt(length) : "DateTime".equals(type) ? 0 : 255;
            return new Field(child(root, "fullName"), type, size, "true".equals(child(root, "externalId")),
                    "true".equals(child(root, "unique")), formula, values, child(root, "referenceTo"),
                    // a lookup Foo__c is reached from its record as Foo__r (<relationshipName> names the way back)
                    "Lookup".equals(type) ? child(root, "fullName").replace("__c", "__r") : null,
                    formula == null);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable field metadata " + file, e);
        }
    }

    private static String child(Element parent, String tag) {
        NodeList nodes = parent.getElementsByTagNameNS("*", tag);
        return nodes.getLength() == 0 ? null : nodes.item(0).getTextContent().trim();
    }

    /** Evaluates the formula subset the shipped metadata uses: IF, NOT, ISBLANK, ISPICKVAL, string literals. */
    static Object evaluate(String formula, Map<String, Object> record) {
        return new FormulaReader(formula, record).expression();
    }

    private static final class FormulaReader {
        private final String text;
        private final Map<String, Object> record;
        private int pos;

        FormulaReader(String text, Map<String, Object> record) {
            this.text = text;
            this.record = record;
        }

        Object expression() {
            skipSpace();
            if (text.charAt(pos) == '"') {
                int end = text.indexOf('"', pos + 1);
                String literal = text.substring(pos + 1, end);
                pos = end + 1;
                return literal;
            }
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
                pos++;
            }
            String name = text.substring(start, pos);
            skipSpace();
            if (pos < text.length() && text.charAt(pos) == '(') {
                pos++;
                List<Object> args = new ArrayList<>();
                while (true) {
                    args.add(expression());
                    skipSpace();
                    char c = text.charAt(pos++);
                    if (c == ')') {
                        break;
                    }
                }
                return switch (name) {
                    case "IF" -> Boolean.TRUE.equals(args.get(0)) ? args.get(1) : args.get(2);
                    case "NOT" -> !Boolean.TRUE.equals(args.get(0));
                    case "ISBLANK" -> args.get(0) == null || "".equals(args.get(0));
                    case "ISPICKVAL" -> args.get(1).equals(args.get(0));
                    default -> throw new IllegalArgumentException("formula function not emulated: " + name);
                };
            }
            return record.get(name);
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
