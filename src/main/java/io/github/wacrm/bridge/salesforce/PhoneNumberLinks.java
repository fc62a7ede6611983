package io.github.wacrm.bridge.salesforce;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

/**
 * A business number's Salesforce record is keyed by its display number in E.164, the one identity every phone-number
 * webhook carries (a real {@code phone_number_quality_update} names the number only by {@code display_phone_number}).
 * Its phone-number id comes from the messages to and from the number ({@code metadata.phone_number_id}): the first
 * such fact links the two, and this pod then remembers the link, so the link costs one record per number, not one per
 * batch. Only a link Salesforce confirmed is remembered; after a restart each number is linked once more.
 */
@Component
public class PhoneNumberLinks {

    private final Map<String, String> linked = new ConcurrentHashMap<>();

    /** Whether the number's record still needs its phone-number id written. */
    public boolean needsLink(String e164, String phoneNumberId) {
        return e164 != null && phoneNumberId != null && !phoneNumberId.equals(linked.get(e164));
    }

    /** Salesforce has written the number's record with this phone-number id. */
    public void linked(String e164, String phoneNumberId) {
        if (e164 != null && phoneNumberId != null) {
            linked.put(e164, phoneNumberId);
        }
    }
}
