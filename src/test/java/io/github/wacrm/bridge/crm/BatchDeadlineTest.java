package io.github.wacrm.bridge.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import io.github.wacrm.bridge.failure.FailureClassification;
import io.github.wacrm.bridge.failure.Verdict;

class BatchDeadlineTest {

    private final BatchDeadline deadline = new BatchDeadline(300_000, 90_000, 60_000, 30_000, 30_000, 30_000);

    @Test
    void aBatchWithinItsDeadlineGoesOnAndOnePastItStopsAsAnOutage() throws Exception {
        Exchange batch = new DefaultExchange(new DefaultCamelContext());
        deadline.start(batch, 500);
        assertThatCode(() -> deadline.check(batch)).doesNotThrowAnyException();

        Thread.sleep(600);

        assertThatThrownBy(() -> deadline.check(batch)).isInstanceOf(BatchDeadlineException.class)
                .hasMessageContaining("deadline 500 ms");
        assertThat(new FailureClassification().classify(new BatchDeadlineException(80, 50)))
                .as("read again, never committed past").isEqualTo(Verdict.RETRIED);
    }

    @Test
    void redeliveriesOfABatchShareItsFirstDeadline() throws Exception {
        Exchange batch = new DefaultExchange(new DefaultCamelContext());
        deadline.start(batch, 50);
        Thread.sleep(80);
        deadline.start(batch, 50);

        assertThatThrownBy(() -> deadline.check(batch)).isInstanceOf(BatchDeadlineException.class);
    }

    @Test
    void theFirstFactOfABatchWrittenOneByOneGetsADeadlineOfItsOwnTheOthersShareTheBatchs() throws Exception {
        DefaultCamelContext camel = new DefaultCamelContext();
        Exchange batch = new DefaultExchange(camel);
        deadline.start(batch, 300);
        Thread.sleep(400);
        FactByFact steps = new FactByFact(deadline);
        Exchange first = batch.copy();
        first.getMessage().setBody(new DefaultExchange(camel));
        first.setProperty(Exchange.SPLIT_INDEX, 0);
        Exchange second = batch.copy();
        second.getMessage().setBody(new DefaultExchange(camel));
        second.setProperty(Exchange.SPLIT_INDEX, 1);

        steps.alone(first);
        steps.alone(second);

        assertThatCode(() -> deadline.check(first)).doesNotThrowAnyException();
        assertThatThrownBy(() -> deadline.check(second)).isInstanceOf(BatchDeadlineException.class);
        assertThat(first.getProperty("kafkaBatch", java.util.List.class)).hasSize(1);
    }

    @Test
    void anExchangeOutsideASinkBatchHasNoDeadline() {
        assertThatCode(() -> deadline.check(new DefaultExchange(new DefaultCamelContext())))
                .doesNotThrowAnyException();
    }

    @Test
    void aDeadlineThatCouldOutlastThePollIntervalIsRefusedAtStart() {
        assertThatThrownBy(() -> new BatchDeadline(300_000, 120_000, 60_000, 30_000, 30_000, 30_000))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("whatsapp.salesforce.batch-deadline-ms")
                .hasMessageContaining("180000 ms");
        assertThatThrownBy(() -> new BatchDeadline(200_000, 30_000, 60_000, 30_000, 30_000, 30_000))
                .hasMessageContaining("whatsapp.hubspot.batch-deadline-ms");
    }
}
