package io.github.wacrm.bridge.failure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.CorruptRecordException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.errors.WakeupException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import com.fasterxml.jackson.core.JsonParseException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.wacrm.bridge.hubspot.HubSpotAccessRefusedException;
import io.github.wacrm.bridge.hubspot.HubSpotUnavailableException;
import io.github.wacrm.bridge.normalize.MalformedWebhookException;
import io.github.wacrm.bridge.salesforce.SalesforceBatchIncompleteException;
import io.github.wacrm.bridge.salesforce.SalesforceUnavailableException;
import io.github.wacrm.bridge.state.FactInProgressException;

/** The failure table of the README, row by row: what is retried, what is the record's fault, what is unexpected. */
class FailureClassificationTest {

    private final FailureClassification rule = new FailureClassification();

    static Stream<Arguments> outages() {
        return Stream.of(
                // the broker
                Arguments.of(new TimeoutException("Expiring 1 record(s) for whatsapp.events-0")),
                Arguments.of(new NotLeaderOrFollowerException("leader moved")),
                Arguments.of(new UnknownTopicOrPartitionException("not yet")),
                Arguments.of(new CorruptRecordException("CRC failure on the wire")),
                Arguments.of(new KafkaException("Producer closed while send in progress")),
                Arguments.of(new CommitFailedException()),
                Arguments.of(new RebalanceInProgressException("rebalancing")),
                Arguments.of(new WakeupException()),
                Arguments.of(new TopicAuthorizationException("not allowed")),
                // the database
                Arguments.of(new CannotGetJdbcConnectionException("refused")),
                Arguments.of(new CannotCreateTransactionException("no connection")),
                Arguments.of(new QueryTimeoutException("statement timeout")),
                Arguments.of(new CannotAcquireLockException("lock")),
                Arguments.of(new FactInProgressException("message:wamid.X")),
                Arguments.of(new SQLTransientConnectionException("Connection is not available, request timed out")),
                Arguments.of(new SQLException("terminating connection due to administrator command", "57P01")),
                Arguments.of(new SQLException("the connection attempt failed", "08001")),
                Arguments.of(new SQLException("could not serialize access", "40001")),
                Arguments.of(new SQLException("too many connections", "53300")),
                // the CRMs and the network
                Arguments.of(new SalesforceUnavailableException("503", null)),
                Arguments.of(new SalesforceBatchIncompleteException("locks held")),
                Arguments.of(new HubSpotUnavailableException("502", true)),
                Arguments.of(new HubSpotAccessRefusedException("401")),
                Arguments.of(CallNotPermittedException.createCallNotPermittedException(CircuitBreaker.ofDefaults("crm"))),
                Arguments.of(new SocketTimeoutException("read timed out")),
                Arguments.of(new ConnectException("Connection refused")),
                Arguments.of(new IOException("Connection reset")),
                Arguments.of(new ExchangeTimedOutException(null, 1000)),
                Arguments.of(new InterruptedException()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outages")
    void anOutageIsRetriedAndNeverCommittedPast(Throwable failure) {
        assertThat(rule.classify(failure)).isEqualTo(Verdict.RETRIED);
        assertThat(rule.classify(new RuntimeCamelException(failure))).as("inside a Camel wrapper")
                .isEqualTo(Verdict.RETRIED);
    }

    static Stream<Arguments> recordFaults() {
        return Stream.of(
                Arguments.of(new RecordTooLargeException("The message is 2100000 bytes when serialized, which is larger "
                        + "than 1048576, the value of max.request.size"), "too_large"),
                Arguments.of(new RecordBatchTooLargeException("batch"), "too_large"),
                Arguments.of(new SerializationException("cannot serialize"), "unserializable"),
                Arguments.of(new InvalidRecordException("null key on a compacted topic"), "refused_by_kafka"),
                Arguments.of(new InvalidTopicException("bad name"), "refused_by_kafka"),
                Arguments.of(new PolicyViolationException("refused by policy"), "refused_by_kafka"),
                Arguments.of(new JsonParseException(null, "Unexpected character"), "unreadable"),
                Arguments.of(new MalformedWebhookException("truncated", "the JSON ends early"), "truncated"),
                Arguments.of(new DataIntegrityViolationException("value too long"), "refused_by_database"),
                Arguments.of(new SQLException("value too long for type character varying(64)", "22001"),
                        "refused_by_database"),
                Arguments.of(new SQLException("duplicate key", "23505"), "refused_by_database"));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("recordFaults")
    void aRecordAtFaultIsDeadLetteredAtOnceWithItsReason(Throwable failure, String reason) {
        assertThat(rule.classify(failure)).isEqualTo(Verdict.RECORD_FAULT);
        assertThat(rule.reason(failure)).isEqualTo(reason);
        Throwable wrapped = new CamelExecutionException("route failed", null, new ExecutionException(failure));
        assertThat(rule.classify(wrapped)).as("inside wrappers").isEqualTo(Verdict.RECORD_FAULT);
        assertThat(rule.reason(wrapped)).isEqualTo(reason);
    }

    @Test
    void aRecordTooLargeInsideAGenericKafkaExceptionIsTheRecordsFaultNotAnOutage() {
        Throwable failure = new KafkaException("send failed", new RecordTooLargeException("2 MB > 1 MB"));

        assertThat(rule.classify(failure)).isEqualTo(Verdict.RECORD_FAULT);
        assertThat(rule.reason(failure)).isEqualTo("too_large");
    }

    @Test
    void anOutageAroundARefusalIsStillAnOutage() {
        // the CRM said why it failed: the outermost definite verdict decides
        Throwable failure = new SalesforceUnavailableException("query failed", new JsonParseException(null, "HTML page"));

        assertThat(rule.classify(failure)).isEqualTo(Verdict.RETRIED);
    }

    static Stream<Arguments> unexpected() {
        return Stream.of(
                Arguments.of(new IllegalStateException("a bug")),
                Arguments.of(new NullPointerException()),
                Arguments.of(new IllegalArgumentException("bad value")),
                Arguments.of(new UnknownServerException("the broker hit an unexpected error")),
                Arguments.of(new BadSqlGrammarException("insert", "INSERT ...", new SQLException("syntax", "42601"))),
                Arguments.of(new SQLException("something else", "XX000")),
                Arguments.of(new SQLException("no state")),
                Arguments.of(new org.apache.camel.TypeConversionException("x", Integer.class, new NumberFormatException("x"))),
                Arguments.of(new RuntimeCamelException("wrapper of nothing")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unexpected")
    void anythingElseIsTriedAFewTimesThenDeadLetteredAsProcessingFailed(Throwable failure) {
        assertThat(rule.classify(failure)).isEqualTo(Verdict.UNEXPECTED);
        assertThat(rule.reason(failure)).isEqualTo("processing_failed");
    }

    @Test
    void aCauseChainThatLoopsIsReadOnce() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);

        assertThat(rule.classify(a)).isEqualTo(Verdict.UNEXPECTED);
    }

    @Test
    void noFailureAtAllIsUnexpected() {
        assertThat(rule.classify(null)).isEqualTo(Verdict.UNEXPECTED);
    }

    @Test
    void theRoutePredicatesReadTheExchangesFailureWhereverCamelKeptIt() {
        Exchange failed = new DefaultExchange(new DefaultCamelContext());
        failed.setException(new RecordTooLargeException("too big"));
        Exchange caught = new DefaultExchange(new DefaultCamelContext());
        caught.setProperty(Exchange.EXCEPTION_CAUGHT, new CannotGetJdbcConnectionException("away"));

        assertThat(rule.recordFault(failed)).isTrue();
        assertThat(rule.retried(failed)).isFalse();
        assertThat(rule.notRetried(failed)).isTrue();
        assertThat(rule.retried(caught)).isTrue();
        assertThat(rule.unexpected(caught)).isFalse();
    }

    @Test
    void theDetailNamesTypesAndKafkasLimitsButNeverContent() {
        Throwable failure = new RuntimeCamelException(new DataIntegrityViolationException(
                "Key (identity)=(+5215512345678) already exists"));

        assertThat(rule.detail(failure)).isEqualTo("RuntimeCamelException <- DataIntegrityViolationException")
                .doesNotContain("5215512345678");
        assertThat(rule.detail(new MalformedWebhookException("not_json", "invalid JSON at byte 12")))
                .isEqualTo("invalid JSON at byte 12");
        assertThat(rule.detail(new RuntimeException("x".repeat(2000), new RecordTooLargeException("y".repeat(2000)))))
                .hasSize(500);
    }
}
