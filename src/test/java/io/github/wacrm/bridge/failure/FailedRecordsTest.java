package io.github.wacrm.bridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.junit.jupiter.api.Test;

class FailedRecordsTest {

    private final FailedRecords records = new FailedRecords(new FailureClassification());

    @Test
    void aFailedRecordsDeadLetterCarriesItsBytesKeyReasonAndOrigin() {
        Exchange failed = new DefaultExchange(new DefaultCamelContext());
        failed.getMessage().setBody(new byte[] {1, 2, 3});
        failed.getMessage().setHeader("kafka.KEY", "customer:abc");
        records.keepOriginal(failed);
        // later steps changed body and key; the dead letter keeps the record's own
        failed.getMessage().setBody("{\"parsed\":true}");
        failed.getMessage().setHeader("kafka.KEY", "something-else");
        failed.setException(new RecordTooLargeException("too big"));
        failed.getMessage().setHeader("kafka.TOPIC", "whatsapp.webhooks.raw");
        failed.getMessage().setHeader("kafka.PARTITION", 2);
        failed.getMessage().setHeader("kafka.OFFSET", 41L);

        FailedRecord letter = records.deadLetter(failed);
        assertThat(letter.original()).containsExactly(1, 2, 3);
        assertThat(letter.key()).isEqualTo("customer:abc");
        assertThat(letter.reason()).isEqualTo("too_large");
        assertThat(letter.detail()).isEqualTo("RecordTooLargeException: too big");
        assertThat(letter.sourceTopic()).isEqualTo("whatsapp.webhooks.raw");
        assertThat(letter.sourcePartition()).isEqualTo(2);
        assertThat(letter.sourceOffset()).isEqualTo(41L);
    }
}
