package io.github.wacrm.bridge.crm;

import java.util.List;

/** What a CRM's fact mapper made of one fact: the records it touches, or why it is skipped. */
public interface MappedFact {

    List<CrmRecord> records();

    /** Why the CRM keeps nothing of this fact (counted, never dead-lettered); null when it has records. */
    String skippedReason();
}
