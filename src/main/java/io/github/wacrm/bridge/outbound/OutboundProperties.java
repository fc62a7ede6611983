package io.github.wacrm.bridge.outbound;

import java.time.Duration;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The reverse routes' settings ({@code whatsapp.outbound.*}): the WABA and the number to send from, the REST API's
 * tokens, the send throttle, and the bounds of a request's life.
 *
 * @param wabaId          the WhatsApp Business Account whose templates are synced
 * @param phoneNumberId   the business number a request without {@code from} is sent from
 * @param apiTokens       REST bearer tokens by name (several at once, for rotation); the name is recorded as who asked
 * @param ratePerSecond   this pod's sends per second per business number (Meta's default is 80 per number: split it
 *                        between replicas)
 * @param pairIntervalMs  the least time between two sends to one recipient from one number (Meta's pair rate)
 * @param sendAttempts    how many times a request Meta answered "try later" is sent before it ends failed
 * @param inDoubtAfter    how long a call that may have reached Meta waits for a status before it ends unknown
 * @param requeueAfter    how long an accepted request may wait untaken before it is put on its topic again
 * @param ratePerSecondByNumber this pod's rate for particular numbers (by phone-number id), over {@code ratePerSecond}
 * @param upgradedRatePerSecond this pod's rate for a number Meta upgraded (a THROUGHPUT_UPGRADE webhook: 1,000 per
 *                        number, split it between replicas), unless the number has its own
 */
@ConfigurationProperties("whatsapp.outbound")
public record OutboundProperties(String wabaId, String phoneNumberId, Map<String, String> apiTokens,
        double ratePerSecond, long pairIntervalMs, int sendAttempts, Duration inDoubtAfter, Duration requeueAfter,
        Map<String, Double> ratePerSecondByNumber, double upgradedRatePerSecond) {

    public OutboundProperties {
        ratePerSecondByNumber = ratePerSecondByNumber == null ? Map.of() : Map.copyOf(ratePerSecondByNumber);
        upgradedRatePerSecond = upgradedRatePerSecond <= 0 ? 1000 : upgradedRatePerSecond;
        apiTokens = apiTokens == null ? Map.of() : Map.copyOf(apiTokens);
        ratePerSecond = ratePerSecond <= 0 ? 80 : ratePerSecond;
        pairIntervalMs = pairIntervalMs <= 0 ? 6000 : pairIntervalMs;
        sendAttempts = sendAttempts <= 0 ? 8 : sendAttempts;
        inDoubtAfter = inDoubtAfter == null ? Duration.ofMinutes(10) : inDoubtAfter;
        requeueAfter = requeueAfter == null ? Duration.ofMinutes(5) : requeueAfter;
    }
}
