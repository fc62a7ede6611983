package io.github.wacrm.bridge.operations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.github.wacrm.bridge.event.Customer;
import io.github.wacrm.bridge.identity.PhoneIdentity;

/** Whom an erasure is about: a number in any form Meta sends, or a BSUID; never both, never neither. */
class ErasureIdentityTest {

    private final PersonErasure erasure = new PersonErasure(null, null, new PhoneIdentity(""));

    @ParameterizedTest
    @CsvSource({
            "+16505551234,   phone:+16505551234",
            "16505551234,    phone:+16505551234",
            "'+1 650 555 1234', phone:+16505551234",
            "5215512345678,  phone:+525512345678",
            "541112345678,   phone:+5491112345678"})
    void aNumberInAnyFormIsThePersonsCanonicalNumber(String phone, String key) {
        assertThat(erasure.identityKey(phone, null)).isEqualTo(key);
    }

    @Test
    void aBsuidIsItsOwnIdentity() {
        assertThat(erasure.identityKey(null, "US.13491208655302741918")).isEqualTo("bsuid:US.13491208655302741918");
        assertThat(erasure.identityKey("", " US.1 ")).isEqualTo("bsuid:US.1");
    }

    @Test
    void neitherBothOrSomethingElseIsRefusedWithWhatToGive() {
        assertThatThrownBy(() -> erasure.identityKey(null, null)).hasMessageContaining("either phone");
        assertThatThrownBy(() -> erasure.identityKey("+16505551234", "US.1")).hasMessageContaining("not both");
        assertThatThrownBy(() -> erasure.identityKey("12", null)).hasMessageContaining("not a phone number");
        assertThatThrownBy(() -> erasure.identityKey("call me", null)).hasMessageContaining("not a phone number");
        assertThatThrownBy(() -> erasure.identityKey(null, "two words")).hasMessageContaining("not a BSUID");
        assertThatThrownBy(() -> erasure.identityKey(null, "x".repeat(129))).hasMessageContaining("not a BSUID");
    }

    @Test
    void theCrmSinksKeyAPersonByTheirWhatsappId() {
        assertThat(Customer.whatsappId("phone:+16505551234")).isEqualTo("+16505551234");
        assertThat(Customer.whatsappId("bsuid:US.1")).isEqualTo("US.1");
        assertThat(Customer.whatsappId("username:ana")).isEqualTo("@ana");
    }
}
