package io.github.wacrm.bridge.faults;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.github.wacrm.bridge.emulator.hubspot.HubSpotPortal;
import io.github.wacrm.bridge.emulator.salesforce.SalesforceOrg;

/**
 * What a scenario left in the CRMs, against what Meta was told (every fact of every webhook answered 200): each fact in
 * Salesforce and in HubSpot, exactly once; no person, Case, ticket or message written twice; no status downgraded.
 */
final class CrmCheck {

    /** The counts of one scenario. */
    record Result(int expected, int inSalesforce, int inHubSpot, int lost, int duplicated, int downgraded,
            List<String> examples) {
    }

    private static final Map<String, String> SALESFORCE_TIME = Map.of("sent", "Sent_At__c", "delivered",
            "Delivered_At__c", "read", "Read_At__c");
    private static final Map<String, String> SALESFORCE_STATUS = Map.of("sent", "Sent", "delivered", "Delivered",
            "read", "Read");

    private CrmCheck() {
    }

    static Result check(MetaWebhooks ids, List<MetaTraffic.Webhook> webhooks, SalesforceOrg salesforce,
            HubSpotPortal hubspot, String personPrefix) {
        Set<MetaWebhooks.Fact> expected = new LinkedHashSet<>();
        Set<MetaWebhooks.Fact> neverAccepted = new LinkedHashSet<>();
        for (MetaTraffic.Webhook webhook : webhooks) {
            (webhook.accepted ? expected : neverAccepted).addAll(webhook.facts);
        }
        // a fact Meta could never hand over within the harness's patience counts as lost, in both CRMs
        neverAccepted.removeAll(expected);
        String marker = ids.marker();
        Map<String, List<Map<String, Object>>> sfMessages = group(salesforce.all("WhatsApp_Message__c"),
                m -> (String) m.get("Wamid__c"), marker);
        Map<String, List<HubSpotPortal.Record>> hsCommunications = groupRecords(hubspot.all("communications"),
                "whatsapp_message_id", marker);
        List<String> examples = new java.util.ArrayList<>();
        int inSalesforce = 0;
        int inHubSpot = 0;
        Map<String, Integer> highest = new HashMap<>();
        for (MetaWebhooks.Fact fact : expected) {
            List<Map<String, Object>> sf = sfMessages.getOrDefault(fact.wamid(), List.of());
            List<HubSpotPortal.Record> hs = hsCommunications.getOrDefault(fact.wamid(), List.of());
            boolean inSf = fact.status() == null ? !sf.isEmpty()
                    : sf.stream().anyMatch(m -> m.get(SALESFORCE_TIME.get(fact.status())) != null);
            boolean inHs = fact.status() == null ? !hs.isEmpty()
                    : hs.stream().anyMatch(c -> c.properties().get("whatsapp_" + fact.status() + "_at") != null);
            inSalesforce += inSf ? 1 : 0;
            inHubSpot += inHs ? 1 : 0;
            if ((!inSf || !inHs) && examples.size() < 5) {
                examples.add("missing " + (inSf ? "" : "in Salesforce ") + (inHs ? "" : "in HubSpot ") + fact);
            }
            if (fact.status() != null) {
                highest.merge(fact.wamid(), MetaWebhooks.order(fact.status()), Math::max);
            }
        }
        int downgraded = 0;
        for (Map.Entry<String, Integer> message : highest.entrySet()) {
            String status = List.of("sent", "delivered", "read").get(message.getValue());
            for (Map<String, Object> record : sfMessages.getOrDefault(message.getKey(), List.of())) {
                if (!SALESFORCE_STATUS.get(status).equals(record.get("Status__c"))) {
                    downgraded++;
                    if (examples.size() < 10) {
                        examples.add("status " + record.get("Status__c") + " instead of " + status + " for "
                                + message.getKey());
                    }
                }
            }
        }
        int duplicated = extra(sfMessages, "Salesforce message", examples) + extra(hsCommunications,
                "HubSpot communication", examples)
                + extra(group(salesforce.all("Contact"), c -> (String) c.get("WhatsApp_Id__c"), personPrefix),
                        "Salesforce Contact", examples)
                + extra(group(salesforce.all("Case"), c -> (String) c.get("WhatsApp_Id__c"), personPrefix),
                        "Salesforce Case", examples)
                + extra(groupRecords(hubspot.all("contacts"), "whatsapp_id", personPrefix), "HubSpot contact", examples)
                + extra(groupRecords(hubspot.all("tickets"), "whatsapp_id", personPrefix), "HubSpot ticket", examples);
        int lost = (expected.size() - inSalesforce) + (expected.size() - inHubSpot) + 2 * neverAccepted.size();
        return new Result(expected.size(), inSalesforce, inHubSpot, lost, duplicated, downgraded, examples);
    }

    private static <T> int extra(Map<String, List<T>> byKey, String what, List<String> examples) {
        int extra = 0;
        for (Map.Entry<String, List<T>> key : byKey.entrySet()) {
            if (key.getValue().size() > 1) {
                extra += key.getValue().size() - 1;
                if (examples.size() < 10) {
                    examples.add(key.getValue().size() + " × " + what + " " + key.getKey());
                }
            }
        }
        return extra;
    }

    private static Map<String, List<Map<String, Object>>> group(List<Map<String, Object>> records,
            Function<Map<String, Object>, String> key, String containing) {
        Map<String, List<Map<String, Object>>> byKey = new HashMap<>();
        for (Map<String, Object> record : records) {
            String k = key.apply(record);
            if (k != null && k.contains(containing)) {
                byKey.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(record);
            }
        }
        return byKey;
    }

    private static Map<String, List<HubSpotPortal.Record>> groupRecords(List<HubSpotPortal.Record> records,
            String property, String containing) {
        Map<String, List<HubSpotPortal.Record>> byKey = new HashMap<>();
        for (HubSpotPortal.Record record : records) {
            String k = record.properties().get(property);
            if (k != null && k.contains(containing)) {
                byKey.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(record);
            }
        }
        return byKey;
    }
}
