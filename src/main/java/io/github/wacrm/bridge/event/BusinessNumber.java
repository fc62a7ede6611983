package io.github.wacrm.bridge.event;

/** A business phone number as Meta's webhooks name it: {@code display_phone_number}, digits without the plus. */
public final class BusinessNumber {

    private BusinessNumber() {
    }

    /** {@code +} and the digits of a display number ({@code 15550783881}, {@code +1 555-078-3881}); null without digits. */
    public static String e164(String displayNumber) {
        if (displayNumber == null) {
            return null;
        }
        String digits = displayNumber.replaceAll("[^0-9]", "");
        return digits.isEmpty() ? null : "+" + digits;
    }
}
