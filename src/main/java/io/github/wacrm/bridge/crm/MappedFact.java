package io.github.wacrm.bridge.crm;

import java.util.List;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import io.github.wacrm.bridge.event.CanonicalEvent;

/** What a CRM's fact mapper made of one fact: the records it touches, or why it is skipped. */
public interface MappedFact {

    List<CrmRecord> records();

    /** Why the CRM keeps nothing of this fact (counted, never dead-lettered); null when it has records. */
    String skippedReason();

    /**
     * First step of every CRM mapper: why no CRM can map this fact at all ({@code no_kind}), or null; a fact without
     * a payload is given an empty one, so the mappers read it without null checks.
     */
    static String unmappable(CanonicalEvent fact) {
        if (fact.kind == null) {
            return "no_kind";
        }
        if (fact.payload == null) {
            fact.payload = JsonNodeFactory.instance.objectNode();
        }
        return null;
    }
}
