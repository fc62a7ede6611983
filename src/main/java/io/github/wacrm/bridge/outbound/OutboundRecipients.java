package io.github.wacrm.bridge.outbound;

import java.util.regex.Pattern;

import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.identity.IdentityLinks;
import io.github.wacrm.bridge.identity.NumberChanges;
import io.github.wacrm.bridge.identity.PhoneIdentity;

/**
 * Who an outbound request goes to: an E.164 number or a BSUID, made the same identity the inbound spine gives that
 * person (phone enrichment, the BSUID and number-change links), so the 24 h window and consent are theirs.
 */
@Component("outboundRecipients")
public class OutboundRecipients {

    private static final Pattern E164 = Pattern.compile("^\\+[1-9][0-9]{5,14}$");
    private static final Pattern BSUID = Pattern.compile("^[A-Z]{2}(\\.ENT)?\\.[A-Za-z0-9]{4,120}$");

    private final PhoneIdentity phoneIdentity;
    private final IdentityLinks identityLinks;
    private final NumberChanges numberChanges;

    public OutboundRecipients(PhoneIdentity phoneIdentity, IdentityLinks identityLinks, NumberChanges numberChanges) {
        this.phoneIdentity = phoneIdentity;
        this.identityLinks = identityLinks;
        this.numberChanges = numberChanges;
    }

    /** Whether {@code to} is an E.164 number or a BSUID. */
    public static boolean valid(String to) {
        return to != null && (E164.matcher(to).matches() || BSUID.matcher(to).matches());
    }

    /** The salted hash of a recipient that is not a WhatsApp identity (a HubSpot contact without a number). */
    public String hashOf(String recipient) {
        return phoneIdentity.hash(recipient);
    }

    /** Sets the request's identity key and hash from its {@code to}. */
    public void identify(OutboundRequest request) {
        CanonicalEvent probe = new CanonicalEvent();
        Customer customer;
        if (request.to.startsWith("+")) {
            customer = phoneIdentity.describe(request.to.substring(1));
        } else {
            customer = new Customer();
            customer.userId = request.to;
            customer.identityKey = phoneIdentity.identityKey(null, request.to, null);
            customer.identityHash = phoneIdentity.hash(customer.identityKey);
        }
        probe.customer = customer;
        identityLinks.resolve(probe);
        numberChanges.follow(probe);
        request.identityKey = customer.identityKey;
        request.identityHash = customer.identityHash;
    }
}
