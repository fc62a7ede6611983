package io.github.wacrm.bridge.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The report types, reports and dashboard shipped with the Salesforce metadata (salesforce/force-app): each names
 * only objects, relationships and fields that force-app has, each report uses a shipped report type and only fields
 * that report type offers, each dashboard component shows a shipped report by its groupings and summaries, and each
 * question of "how is WhatsApp doing" has its report on the dashboard.
 */
class SalesforceReportsTest {

    private static final Path SOURCE = Path.of("salesforce/force-app/main/default");

    private static final String MESSAGE = "WhatsApp_Message__c$";

    /** Standard fields every object has. */
    private static final Set<String> COMMON_STANDARD_FIELDS = Set.of("Id", "CreatedDate", "LastModifiedDate");

    /** The standard fields of the standard objects the reports may name (force-app holds only their custom fields). */
    private static final Map<String, Set<String>> STANDARD_FIELDS = Map.of(
            "Case", Set.of("CaseNumber", "Subject", "Status", "Origin", "Priority", "IsClosed", "ClosedDate"),
            "Contact", Set.of("Name", "FirstName", "LastName", "Email", "MobilePhone"),
            "Lead", Set.of("Name", "FirstName", "LastName", "Company", "Status", "MobilePhone"));

    /** The record count a report, a chart or a formula may name without it being a field. */
    private static final String ROW_COUNT = "RowCount";

    /** A field reference in a report formula: Table.Field or Table.Lookup__c.Field, maybe followed by :SUM. */
    private static final Pattern FORMULA_REFERENCE = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(?:\\.[A-Za-z][A-Za-z0-9_]*)+");

    record Field(String object, String name, String type, String referenceTo, String relationshipName, String formula) {
    }

    /** A report type: its tables (Case, Case.WhatsApp_Messages__r) with the object each is, and the fields it offers. */
    record ReportType(String name, String baseObject, Map<String, String> tables, Set<String> columns) {
    }

    record Report(String id, Element root) {
    }

    record Dashboard(String id, Element root) {
    }

    private static Map<String, Map<String, Field>> schema;
    private static Map<String, Boolean> reportable;
    private static Map<String, ReportType> reportTypes;
    private static Map<String, Report> reports;
    private static Map<String, Dashboard> dashboards;

    @BeforeAll
    static void readMetadata() {
        readSchema();
        reportTypes = readReportTypes();
        reports = new TreeMap<>();
        for (Path file : inFolders("reports", ".report-meta.xml", ".reportFolder-meta.xml")) {
            String id = id(file, ".report-meta.xml");
            reports.put(id, new Report(id, xml(file)));
        }
        dashboards = new TreeMap<>();
        for (Path file : inFolders("dashboards", ".dashboard-meta.xml", ".dashboardFolder-meta.xml")) {
            String id = id(file, ".dashboard-meta.xml");
            dashboards.put(id, new Dashboard(id, xml(file)));
        }
    }

    @Test
    void everyReportTypeJoinsRelationshipsAndOffersFieldsThatForceAppHas() {
        assertThat(reportTypes).containsKeys("WhatsApp_Messages", "Cases_with_WhatsApp_Messages");
        List<String> problems = new ArrayList<>();
        for (ReportType type : reportTypes.values()) {
            type.tables().forEach((table, object) -> {
                if (object == null) {
                    problems.add(type.name() + ": table " + table + " is no object or relationship of force-app");
                } else if (object.endsWith("__c") && !Boolean.TRUE.equals(reportable.get(object))) {
                    problems.add(type.name() + ": " + object + " does not enable reports");
                }
            });
            for (String column : type.columns()) {
                String table = column.substring(0, column.indexOf('$'));
                String path = column.substring(column.indexOf('$') + 1);
                if (!type.tables().containsKey(table)) {
                    problems.add(type.name() + ": column " + column + " is on a table the report type does not join");
                } else if (type.tables().get(table) != null && resolve(type.tables().get(table), path) == null) {
                    problems.add(type.name() + ": no field " + path + " on " + type.tables().get(table) + " in force-app");
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(reportTypes.get("WhatsApp_Messages").baseObject()).isEqualTo("WhatsApp_Message__c");
        assertThat(reportTypes.get("Cases_with_WhatsApp_Messages").tables())
                .containsEntry("Case", "Case").containsEntry("Case.WhatsApp_Messages__r", "WhatsApp_Message__c");
    }

    @Test
    void everyReportUsesAShippedReportTypeAndOnlyFieldsItOffers() {
        assertThat(reports).isNotEmpty();
        List<String> problems = new ArrayList<>();
        for (Report report : reports.values()) {
            String reportType = text(report.root(), "reportType");
            ReportType type = reportType != null && reportType.endsWith("__c")
                    ? reportTypes.get(reportType.substring(0, reportType.length() - "__c".length())) : null;
            if (type == null) {
                problems.add(report.id() + ": report type " + reportType + " is not shipped in reportTypes/");
                continue;
            }
            Set<String> own = ownNames(report);
            for (String[] reference : references(report)) {
                String problem = problem(type, own, reference[1]);
                if (problem != null) {
                    problems.add(report.id() + " " + reference[0] + " " + reference[1] + ": " + problem);
                }
            }
            for (String formula : formulas(report)) {
                for (String reference : formulaReferences(type, formula)) {
                    String problem = problem(type, own, reference);
                    if (problem != null) {
                        problems.add(report.id() + " formula " + formula + " → " + reference + ": " + problem);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyReportIsWellFormedForItsFormat() {
        List<String> problems = new ArrayList<>();
        for (Report report : reports.values()) {
            Element root = report.root();
            String format = text(root, "format");
            int down = children(root, "groupingsDown").size();
            int across = children(root, "groupingsAcross").size();
            boolean valid = switch (format == null ? "" : format) {
                case "Tabular" -> down == 0 && across == 0 && children(root, "aggregates").isEmpty();
                case "Summary" -> down >= 1 && down <= 3 && across == 0;
                case "Matrix" -> down >= 1 && down <= 2 && across >= 1 && across <= 2;
                default -> false;
            };
            if (!valid) {
                problems.add(report.id() + ": " + format + " with " + down + " row and " + across + " column groupings");
            }
            List<String> grouped = new ArrayList<>(groupings(root, "groupingsDown"));
            grouped.addAll(groupings(root, "groupingsAcross"));
            for (String column : columns(root).keySet()) {
                if (grouped.contains(column)) {
                    problems.add(report.id() + ": " + column + " is both a grouping and a column");
                }
            }
            if (children(root, "customDetailFormulas").size() > 1) {
                problems.add(report.id() + ": more than one row-level formula");
            }
            String name = text(root, "name");
            if (name == null || name.isBlank() || name.length() > 40) {
                problems.add(report.id() + ": name must have 1 to 40 characters: " + name);
            }
            String description = text(root, "description");
            if (description != null && description.length() > 255) {
                problems.add(report.id() + ": description longer than 255 characters");
            }
            Element chart = child(root, "chart");
            if (chart != null) {
                for (Element summary : children(chart, "chartSummaries")) {
                    String problem = summaryProblem(report, text(summary, "column"), text(summary, "aggregate"));
                    if (problem != null) {
                        problems.add(report.id() + " chart: " + problem);
                    }
                }
                for (String tag : List.of("groupingColumn", "secondaryGroupingColumn")) {
                    String grouping = text(chart, tag);
                    if (grouping != null && !grouped.contains(grouping)) {
                        problems.add(report.id() + " chart " + tag + " " + grouping + " is no grouping of the report");
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void everyDashboardComponentShowsAShippedReportByItsGroupingsAndSummaries() {
        assertThat(dashboards).containsKey("WhatsApp/WhatsApp_Overview");
        List<String> problems = new ArrayList<>();
        Set<String> shown = new LinkedHashSet<>();
        for (Dashboard dashboard : dashboards.values()) {
            List<Element> components = descendants(dashboard.root(), "dashboardComponent");
            components.addAll(descendants(dashboard.root(), "components"));
            if (components.isEmpty()) {
                problems.add(dashboard.id() + ": no components");
            }
            for (Element component : components) {
                String reportId = text(component, "report");
                Report report = reportId == null ? null : reports.get(reportId);
                if (report == null) {
                    problems.add(dashboard.id() + ": component " + text(component, "header") + " shows " + reportId
                            + ", which is not shipped in reports/");
                    continue;
                }
                shown.add(reportId);
                List<String> grouped = new ArrayList<>(groupings(report.root(), "groupingsDown"));
                grouped.addAll(groupings(report.root(), "groupingsAcross"));
                for (Element grouping : children(component, "groupingColumn")) {
                    if (!grouped.contains(grouping.getTextContent().trim())) {
                        problems.add(dashboard.id() + ": component on " + reportId + " groups by "
                                + grouping.getTextContent().trim() + ", no grouping of the report");
                    }
                }
                List<Element> summaries = children(component, "chartSummary");
                if (summaries.isEmpty() && !"true".equals(text(component, "autoselectColumnsFromReport"))
                        && !"true".equals(text(component, "useReportChart"))) {
                    problems.add(dashboard.id() + ": component on " + reportId + " summarizes nothing");
                }
                for (Element summary : summaries) {
                    String problem = summaryProblem(report, text(summary, "column"), text(summary, "aggregate"));
                    if (problem != null) {
                        problems.add(dashboard.id() + ": component on " + reportId + ": " + problem);
                    }
                }
            }
        }
        assertThat(problems).isEmpty();
        assertThat(shown).as("a dashboard component per shipped report").containsAll(reports.keySet());
    }

    @Test
    void theRateCountersAreFormulasOverTheStatusTimestamps() {
        Map<String, Field> message = schema.get("WhatsApp_Message__c");
        for (String counter : List.of("Delivered_Count__c", "Read_Count__c")) {
            Field field = message.get(counter);
            assertThat(field).as(counter).isNotNull();
            assertThat(field.type()).as(counter).isEqualTo("Number");
            assertThat(field.formula()).as(counter).isNotBlank();
            Matcher names = Pattern.compile("[A-Za-z][A-Za-z0-9_]*__c").matcher(field.formula());
            while (names.find()) {
                assertThat(message).as(counter + " names " + names.group()).containsKey(names.group());
            }
        }
        assertThat(message.get("Delivered_Count__c").formula()).contains("Delivered_At__c", "Read_At__c");
        assertThat(message.get("Read_Count__c").formula()).contains("Read_At__c").doesNotContain("Delivered_At__c");
    }

    @Test
    void eachQuestionOfHowWhatsAppIsDoingHasItsReport() {
        Report rates = report("WhatsApp/WhatsApp_Delivery_Read_Rate_By_Template");
        assertThat(groupings(rates.root(), "groupingsDown")).containsExactly(MESSAGE + "Template_Name__c");
        assertThat(filters(rates)).contains(MESSAGE + "Direction__c equals Outbound", MESSAGE + "Refused_At__c equals",
                MESSAGE + "Unknown_At__c equals");
        assertThat(summaryFormulas(rates).values()).containsExactlyInAnyOrder(
                "WhatsApp_Message__c.Delivered_Count__c:SUM / RowCount",
                "WhatsApp_Message__c.Read_Count__c:SUM / RowCount");

        Report perDay = report("WhatsApp/WhatsApp_Messages_By_Direction_Per_Day");
        assertThat(groupings(perDay.root(), "groupingsDown")).containsExactly(MESSAGE + "Message_Timestamp__c");
        assertThat(text(child(perDay.root(), "groupingsDown"), "dateGranularity")).isEqualTo("Day");
        assertThat(groupings(perDay.root(), "groupingsAcross")).containsExactly(MESSAGE + "Direction__c");

        Report firstResponse = report("WhatsApp/WhatsApp_First_Response_Per_Case");
        assertThat(groupings(firstResponse.root(), "groupingsDown")).containsExactly(MESSAGE + "Case__c");
        assertThat(filters(firstResponse)).contains(MESSAGE + "Direction__c equals Outbound",
                MESSAGE + "Case__c.WhatsApp_Conversation_Key__c notEqual", MESSAGE + "Refused_At__c equals");
        Element rowFormula = child(firstResponse.root(), "customDetailFormulas");
        assertThat(rowFormula).isNotNull();
        assertThat(text(rowFormula, "calculatedFormula")).contains("WhatsApp_Message__c.Message_Timestamp__c",
                "WhatsApp_Message__c.Case__c.CreatedDate");
        assertThat(columns(firstResponse.root())).containsEntry(text(rowFormula, "developerName"), List.of("Minimum"));

        Report refusals = report("WhatsApp/WhatsApp_Refusals_By_Reason");
        assertThat(groupings(refusals.root(), "groupingsDown")).containsExactly(MESSAGE + "Refusal_Reason__c");
        assertThat(filters(refusals)).contains(MESSAGE + "Refused_At__c notEqual");

        Set<String> onTheOverview = new LinkedHashSet<>();
        for (Element component : descendants(dashboards.get("WhatsApp/WhatsApp_Overview").root(), "dashboardComponent")) {
            onTheOverview.add(text(component, "report"));
        }
        assertThat(onTheOverview).contains(rates.id(), perDay.id(), firstResponse.id(), refusals.id());
    }

    // ---- reading the metadata ----------------------------------------------------------------------------------

    private static void readSchema() {
        schema = new LinkedHashMap<>();
        reportable = new LinkedHashMap<>();
        for (Path dir : list(SOURCE.resolve("objects"), "")) {
            String object = dir.getFileName().toString();
            Path definition = dir.resolve(object + ".object-meta.xml");
            reportable.put(object, Files.exists(definition) && "true".equals(text(xml(definition), "enableReports")));
            Map<String, Field> fields = new LinkedHashMap<>();
            Path fieldsDir = dir.resolve("fields");
            if (Files.isDirectory(fieldsDir)) {
                for (Path file : list(fieldsDir, ".field-meta.xml")) {
                    Element root = xml(file);
                    String name = text(root, "fullName") != null ? text(root, "fullName")
                            : file.getFileName().toString().replace(".field-meta.xml", "");
                    fields.put(name, new Field(object, name, text(root, "type"), text(root, "referenceTo"),
                            text(root, "relationshipName"), text(root, "formula")));
                }
            }
            schema.put(object, fields);
        }
    }

    private static Map<String, ReportType> readReportTypes() {
        Map<String, ReportType> types = new TreeMap<>();
        for (Path file : list(SOURCE.resolve("reportTypes"), ".reportType-meta.xml")) {
            Element root = xml(file);
            String name = file.getFileName().toString().replace(".reportType-meta.xml", "");
            String base = text(root, "baseObject");
            Map<String, String> tables = new LinkedHashMap<>();
            String object = base != null && schema.containsKey(base) ? base : null;
            String table = base;
            tables.put(table, object);
            // the base object is joined to the first relationship, the result to the nested one
            for (Element join = child(root, "join"); join != null; join = child(join, "join")) {
                String relationship = text(join, "relationship");
                table = table + "." + relationship;
                object = object == null ? null : childObject(object, relationship);
                tables.put(table, object);
            }
            Set<String> columns = new LinkedHashSet<>();
            for (Element section : children(root, "sections")) {
                for (Element column : children(section, "columns")) {
                    columns.add(text(column, "table") + "$" + text(column, "field"));
                }
            }
            types.put(name, new ReportType(name, base, tables, columns));
        }
        return types;
    }

    /** The object a child relationship of parent reaches: the lookup to parent whose relationship name it is. */
    private static String childObject(String parent, String relationship) {
        for (Map<String, Field> fields : schema.values()) {
            for (Field field : fields.values()) {
                if (parent.equals(field.referenceTo()) && field.relationshipName() != null
                        && relationship.equals(field.relationshipName() + "__r")) {
                    return field.object();
                }
            }
        }
        return null;
    }

    /** The field a path names from an object (Case__c.CaseNumber: the lookup Case__c, then CaseNumber on Case). */
    private static Field resolve(String object, String path) {
        String[] parts = path.split("\\.");
        String current = object;
        for (int i = 0; i < parts.length; i++) {
            Field field = field(current, parts[i]);
            if (field == null) {
                return null;
            }
            if (i == parts.length - 1) {
                return field;
            }
            if (!"Lookup".equals(field.type()) && !"MasterDetail".equals(field.type()) || field.referenceTo() == null) {
                return null;
            }
            current = field.referenceTo();
        }
        return null;
    }

    private static Field field(String object, String name) {
        Map<String, Field> fields = schema.get(object);
        if (fields == null) {
            return null;
        }
        if (fields.containsKey(name)) {
            return fields.get(name);
        }
        boolean standard = COMMON_STANDARD_FIELDS.contains(name) || object.endsWith("__c") && "Name".equals(name)
                || STANDARD_FIELDS.getOrDefault(object, Set.of()).contains(name);
        return standard ? new Field(object, name, "Standard", null, null, null) : null;
    }

    /** Why a report's reference is wrong, or null: it must be Table$Field of its report type, offered by it. */
    private static String problem(ReportType type, Set<String> own, String reference) {
        if (reference == null || reference.isBlank()) {
            return "empty";
        }
        if (ROW_COUNT.equals(reference) || own.contains(reference)) {
            return null;
        }
        int dollar = reference.indexOf('$');
        if (dollar < 0) {
            return "names no table of report type " + type.name();
        }
        String table = reference.substring(0, dollar);
        String path = reference.substring(dollar + 1);
        if (!type.tables().containsKey(table)) {
            return "table " + table + " is not in report type " + type.name();
        }
        String object = type.tables().get(table);
        if (object == null || resolve(object, path) == null) {
            return "no field " + path + " on " + object + " in force-app";
        }
        if (!type.columns().contains(reference)) {
            return "not among the fields report type " + type.name() + " offers";
        }
        return null;
    }

    /** The names a report defines itself: its summary formulas (FORMULA1), row-level formula (CDF1) and buckets. */
    private static Set<String> ownNames(Report report) {
        Set<String> own = new LinkedHashSet<>();
        for (String tag : List.of("aggregates", "customDetailFormulas", "buckets")) {
            for (Element element : children(report.root(), tag)) {
                own.add(text(element, "developerName"));
            }
        }
        return own;
    }

    /** Every field reference of a report, as {where, reference}. */
    private static List<String[]> references(Report report) {
        Element root = report.root();
        List<String[]> out = new ArrayList<>();
        for (String column : columns(root).keySet()) {
            out.add(new String[] {"column", column});
        }
        for (String tag : List.of("groupingsDown", "groupingsAcross")) {
            for (String grouping : groupings(root, tag)) {
                out.add(new String[] {tag, grouping});
            }
        }
        Element filter = child(root, "filter");
        if (filter != null) {
            for (Element item : children(filter, "criteriaItems")) {
                out.add(new String[] {"filter", text(item, "column")});
            }
        }
        Element timeFrame = child(root, "timeFrameFilter");
        if (timeFrame != null) {
            out.add(new String[] {"timeFrameFilter", text(timeFrame, "dateColumn")});
        }
        if (text(root, "sortColumn") != null) {
            out.add(new String[] {"sortColumn", text(root, "sortColumn")});
        }
        for (Element aggregate : children(root, "aggregates")) {
            for (String tag : List.of("downGroupingContext", "acrossGroupingContext")) {
                String context = text(aggregate, tag);
                if (context != null && !context.equals("GRAND_SUMMARY")) {
                    out.add(new String[] {tag, context});
                }
            }
        }
        Element chart = child(root, "chart");
        if (chart != null) {
            for (String tag : List.of("groupingColumn", "secondaryGroupingColumn")) {
                if (text(chart, tag) != null) {
                    out.add(new String[] {"chart " + tag, text(chart, tag)});
                }
            }
            for (Element summary : children(chart, "chartSummaries")) {
                out.add(new String[] {"chart summary", text(summary, "column")});
            }
        }
        return out;
    }

    /** The summary formulas and the row-level formula of a report. */
    private static List<String> formulas(Report report) {
        List<String> out = new ArrayList<>(summaryFormulas(report).values());
        for (Element formula : children(report.root(), "customDetailFormulas")) {
            out.add(text(formula, "calculatedFormula"));
        }
        return out;
    }

    /**
     * The fields a formula names, as Table$Field: a formula writes WhatsApp_Message__c.Read_Count__c:SUM for the
     * column WhatsApp_Message__c$Read_Count__c (the longest table of the report type that starts the reference).
     */
    private static List<String> formulaReferences(ReportType type, String formula) {
        List<String> out = new ArrayList<>();
        Matcher matcher = FORMULA_REFERENCE.matcher(formula == null ? "" : formula);
        while (matcher.find()) {
            String reference = matcher.group();
            String table = type.tables().keySet().stream().filter(t -> reference.startsWith(t + "."))
                    .max((a, b) -> Integer.compare(a.length(), b.length())).orElse(null);
            out.add(table == null ? reference : table + "$" + reference.substring(table.length() + 1));
        }
        return out;
    }

    /** Why a chart summary is wrong, or null: the record count, a summary formula, or a column summarized so. */
    private static String summaryProblem(Report report, String column, String aggregate) {
        if (column == null) {
            return "a summary names no column";
        }
        boolean formula = children(report.root(), "aggregates").stream()
                .anyMatch(a -> column.equals(text(a, "developerName")));
        if (ROW_COUNT.equals(column) || formula) {
            return aggregate == null ? null : column + " takes no aggregate";
        }
        List<String> aggregates = columns(report.root()).get(column);
        if (aggregates == null) {
            return column + " is no column of the report";
        }
        if (aggregate == null || !aggregates.contains(aggregate)) {
            return column + " is not summarized as " + aggregate + " in the report";
        }
        return null;
    }

    private static Report report(String id) {
        assertThat(reports).as("shipped reports").containsKey(id);
        return reports.get(id);
    }

    /** Column field → its aggregate types, in report order. */
    private static Map<String, List<String>> columns(Element root) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Element column : children(root, "columns")) {
            List<String> aggregates = new ArrayList<>();
            for (Element aggregate : children(column, "aggregateTypes")) {
                aggregates.add(aggregate.getTextContent().trim());
            }
            out.put(text(column, "field"), aggregates);
        }
        return out;
    }

    private static List<String> groupings(Element root, String tag) {
        List<String> out = new ArrayList<>();
        for (Element grouping : children(root, tag)) {
            out.add(text(grouping, "field"));
        }
        return out;
    }

    /** The filter's criteria as "column operator value" (a blank value for "is blank" or "is not blank"). */
    private static List<String> filters(Report report) {
        List<String> out = new ArrayList<>();
        Element filter = child(report.root(), "filter");
        if (filter != null) {
            for (Element item : children(filter, "criteriaItems")) {
                String value = text(item, "value");
                out.add((text(item, "column") + " " + text(item, "operator") + " " + (value == null ? "" : value)).trim());
            }
        }
        return out;
    }

    private static Map<String, String> summaryFormulas(Report report) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element aggregate : children(report.root(), "aggregates")) {
            out.put(text(aggregate, "developerName"), text(aggregate, "calculatedFormula"));
        }
        return out;
    }

    /** The files of one type in the folders of a directory (reports/WhatsApp/…), each folder with its folder file. */
    private static List<Path> inFolders(String directory, String suffix, String folderSuffix) {
        Path root = SOURCE.resolve(directory);
        List<Path> out = new ArrayList<>();
        for (Path folder : list(root, "")) {
            if (!Files.isDirectory(folder)) {
                continue;
            }
            assertThat(root.resolve(folder.getFileName() + folderSuffix)).as("folder file of " + folder).exists();
            out.addAll(list(folder, suffix));
        }
        return out;
    }

    private static String id(Path file, String suffix) {
        return file.getParent().getFileName() + "/" + file.getFileName().toString().replace(suffix, "");
    }

    private static List<Path> list(Path dir, String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Element xml(Path file) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("unreadable metadata " + file, e);
        }
    }

    /** The direct children of an element with a tag. */
    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node node = nodes.item(i);
            if (node instanceof Element element && tag.equals(element.getLocalName())) {
                out.add(element);
            }
        }
        return out;
    }

    private static List<Element> descendants(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", tag);
        for (int i = 0; i < nodes.getLength(); i++) {
            out.add((Element) nodes.item(i));
        }
        return out;
    }

    private static Element child(Element parent, String tag) {
        List<Element> found = children(parent, tag);
        return found.isEmpty() ? null : found.get(0);
    }

    /** The text of the first direct child with a tag, trimmed; null if there is none. */
    private static String text(Element parent, String tag) {
        Element found = child(parent, tag);
        return found == null ? null : found.getTextContent().trim();
    }
}
