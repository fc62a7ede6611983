package io.github.wacrm.bridge.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.wacrm.bridge.event.CanonicalEvent;
import io.github.wacrm.bridge.event.Customer;

class PhoneIdentityTest {

    private final PhoneIdentity identity = new PhoneIdentity("");

    @ParameterizedTest(name = "{0} and {1} → {2}")
    @CsvSource({
            "5215512345678, 525512345678, +525512345678",
            "5491123456789, 541123456789, +5491123456789",
            "5511987654321, 551187654321, +5511987654321",
            "+5215512345678, 525512345678, +525512345678"})
    void countryVariantsOfOneNumberMeetInOneE164(String first, String second, String e164) {
        assertThat(identity.canonicalE164(first)).isEqualTo(e164);
        assertThat(identity.canonicalE164(second)).isEqualTo(e164);
        assertThat(identity.identityKey(first, null, null)).isEqualTo(identity.identityKey(second, null, null));
    }

    @Test
    void brazilianLandlinesAreNotGivenANinthDigit() {
        assertThat(identity.canonicalE164("551133334444")).isEqualTo("+551133334444");
    }

    @Test
    void enrichmentAddsRegionTypeValidityAndAStableHash() {
        CanonicalEvent event = eventFrom("5215512345678");
        identity.enrich(event);

        Customer c = event.getCustomer();
        assertThat(c.e164).isEqualTo("+525512345678");
        assertThat(c.region).isEqualTo("MX");
        assertThat(c.validNumber).isTrue();
        assertThat(c.numberType).isIn("MOBILE", "FIXED_LINE_OR_MOBILE");
        assertThat(c.phoneHash).hasSize(64).isEqualTo(identity.hash("+525512345678"));
        assertThat(c.identityKey).isEqualTo("phone:+525512345678");
        assertThat(c.identityHash).isEqualTo(identity.hash("phone:+525512345678"));
        assertThat(c.waId).as("the id WhatsApp sent is kept for replies").isEqualTo("5215512345678");
    }

    @Test
    void aNumberLibphonenumberCallsInvalidIsKept() {
        CanonicalEvent event = eventFrom("15550001234");
        identity.enrich(event);

        assertThat(event.getCustomer().e164).isEqualTo("+15550001234");
        assertThat(event.getCustomer().validNumber).isFalse();
        assertThat(event.getCustomer().identityKey).isEqualTo("phone:+15550001234");
    }

    @Test
    void aBsuidIsNeverRewrittenAsAPhoneNumber() {
        assertThat(PhoneIdentity.isPhoneNumber("US.13491208655302741918")).isFalse();
        assertThat(identity.canonicalE164("US.13491208655302741918")).isNull();
        CanonicalEvent event = new CanonicalEvent();
        event.customer = new Customer();
        event.customer.userId = "BR.1502576394655843";
        event.customer.username = "@sheena";
        identity.enrich(event);

        assertThat(event.getCustomer().e164).isNull();
        assertThat(event.getCustomer().phoneHash).isNull();
        assertThat(event.getCustomer().identityKey).isEqualTo("bsuid:BR.1502576394655843");
    }

    @Test
    void aUsernameAloneIsStillAnIdentity() {
        assertThat(identity.identityKey(null, null, "@sheena")).isEqualTo("username:@sheena");
        assertThat(identity.identityKey(null, null, null)).isNull();
    }

    @Test
    void theHashDependsOnTheConfiguredSalt() {
        assertThat(new PhoneIdentity("pepper").hash("+525512345678")).isNotEqualTo(identity.hash("+525512345678"));
    }

    @Test
    void masksKeepOnlyTheLastFewCharacters() {
        assertThat(PhoneIdentity.mask("phone:+525512345678")).endsWith("5678").doesNotContain("5512");
        assertThat(PhoneIdentity.mask(null)).isEqualTo("-");
    }

    private static CanonicalEvent eventFrom(String waId) {
        CanonicalEvent event = new CanonicalEvent();
        event.customer = new Customer();
        event.customer.waId = waId;
        return event;
    }
}
