package io.github.wacrm.bridge.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Merging the facts of a batch: each field ends with the value of its latest event, in every arrival order. */
class CrmRecordMergeTest {

    private static final Instant T1 = Instant.parse("2024-11-22T10:00:00Z");

    @ParameterizedTest(name = "{0} on a {1}")
    @CsvSource({
            "optInStatus, contact, Opted In, Opted Out, Opted In",
            "optInStatus, lead, Opted Out, Opted In, Opted Out",
            "profileName, contact, Sheena, Sheena N., Sheena Nelson",
            "username, contact, @a, @b, @c",
            "status, template, PENDING, APPROVED, PAUSED",
            "qualityScore, template, GREEN, YELLOW, RED",
            "category, template, UTILITY, MARKETING, UTILITY",
            "rejectionReason, template, NONE, INVALID_FORMAT, ABUSIVE_CONTENT",
            "messagingTier, phone-number, TIER_1K, TIER_10K, TIER_100K",
            "qualityEvent, phone-number, FLAGGED, UNFLAGGED, FLAGGED",
            "nameStatus, phone-number, PENDING, APPROVED, DECLINED"})
    void theLatestEventWinsInEveryArrivalOrder(String field, String type, String first, String second, String third) {
        List<String> values = List.of(first, second, third);
        for (List<Integer> order : permutations()) {
            CrmRecord merged = null;
            for (int event : order) {
                CrmRecord record = new CrmRecord(type, "id").put(field, values.get(event)).fact(event)
                        .stamp(T1.plusSeconds(event));
                if (merged == null) {
                    merged = record;
                } else {
                    merged.merge(record);
                }
            }
            assertThat(merged.values().get(field)).as("arrival order %s", order).isEqualTo(third);
            assertThat(merged.timeOf(field)).isEqualTo(T1.plusSeconds(2));
        }
    }

    @Test
    void aStopAfterAResumeStaysAStopWhenTheResumeArrivesLast() {
        CrmRecord stop = new CrmRecord("contact", "+1").put("optInStatus", "Opted Out")
                .put("optInDate", "2024-11-22T10:00:02Z").stamp(T1.plusSeconds(2));
        stop.merge(new CrmRecord("contact", "+1").put("optInStatus", "Opted In").put("optInDate", "2024-11-22T10:00:01Z")
                .stamp(T1.plusSeconds(1)));

        assertThat(stop.values()).containsEntry("optInStatus", "Opted Out").containsEntry("optInDate",
                "2024-11-22T10:00:02Z");
    }

    @Test
    void eachFieldKeepsItsOwnEventTime() {
        CrmRecord template = new CrmRecord("template", "t").put("status", "APPROVED").stamp(T1.plusSeconds(5));
        template.merge(new CrmRecord("template", "t").put("status", "PENDING").put("qualityScore", "GREEN")
                .stamp(T1.plusSeconds(1)));

        assertThat(template.values()).containsEntry("status", "APPROVED").containsEntry("qualityScore", "GREEN");
        assertThat(template.timeOf("qualityScore")).isEqualTo(T1.plusSeconds(1));
    }

    @Test
    void factsWithoutATimeOrWithTheSameTimeTakeArrivalOrder() {
        CrmRecord record = new CrmRecord("contact", "+1").put("profileName", "A").stamp(T1);
        record.merge(new CrmRecord("contact", "+1").put("profileName", "B").stamp(T1));
        assertThat(record.values()).containsEntry("profileName", "B");
        record.merge(new CrmRecord("contact", "+1").put("profileName", "C"));
        assertThat(record.values()).containsEntry("profileName", "C");
        assertThat(record.timeOf("profileName")).isNull();
    }

    private static List<List<Integer>> permutations() {
        List<List<Integer>> all = new ArrayList<>();
        int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
        for (int[] order : orders) {
            all.add(List.of(order[0], order[1], order[2]));
        }
        return all;
    }
}
