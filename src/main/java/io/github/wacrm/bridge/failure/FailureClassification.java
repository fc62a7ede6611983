package io.github.wacrm.bridge.failure;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.apache.camel.Exchange;
import org.apache.camel.ExchangeTimedOutException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.IllegalGenerationException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.errors.UnknownProducerIdException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.apache.kafka.common.errors.WakeupException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;

/**
 * The one rule every consuming route, both CRM sinks and their "write alone" routes apply when a record fails (the
 * README's failure table): an outage is {@link Verdict#RETRIED retried} and never committed past, a record at fault is
 * {@link Verdict#RECORD_FAULT dead-lettered} at once with its reason, and anything else is
 * {@link Verdict#UNEXPECTED tried a few more times, then dead-lettered}: nothing is retried forever for a reason of
 * its own.
 * <p>
 * The whole cause chain is read, outermost first: the first exception with a definite verdict decides (a
 * {@code RecordTooLargeException} inside a Camel wrapper is the record's fault); a generic {@link KafkaException} or
 * {@link IOException} with nothing more specific inside counts as an outage.
 */
@Component("failureClassification")
public class FailureClassification {

    public static final String TOO_LARGE = "too_large";
    public static final String UNSERIALIZABLE = "unserializable";
    public static final String UNREADABLE = "unreadable";
    public static final String REFUSED_BY_KAFKA = "refused_by_kafka";
    public static final String REFUSED_BY_DATABASE = "refused_by_database";
    public static final String PROCESSING_FAILED = "processing_failed";

    private static final int MAX_CAUSES = 32;

    /** Kafka failures about the consumer group or the producer's session, not about the record: retried. */
    private static final List<Class<? extends Throwable>> KAFKA_SESSION = List.of(
            AuthenticationException.class, AuthorizationException.class, CommitFailedException.class,
            RebalanceInProgressException.class, IllegalGenerationException.class, UnknownMemberIdException.class,
            FencedInstanceIdException.class, OutOfOrderSequenceException.class, ProducerFencedException.class,
            InvalidProducerEpochException.class, UnknownProducerIdException.class, InterruptException.class,
            WakeupException.class);

    /** Waiting ran out, or the connection went: retried. */
    private static final List<Class<? extends Throwable>> TIMEOUTS_AND_CONNECTIONS = List.of(
            TimeoutException.class, ExchangeTimedOutException.class, SocketTimeoutException.class,
            HttpTimeoutException.class, ConnectException.class, ClosedChannelException.class,
            InterruptedException.class, CallNotPermittedException.class);

    /** SQLSTATE classes of a database that is away, overloaded, shutting down or resolving a conflict. */
    private static final Set<String> PASSING_SQL_STATES = Set.of("08", "40", "53", "55", "57", "58");
    /** SQLSTATE classes of a value the database refuses (data exception, integrity constraint). */
    private static final Set<String> REFUSED_SQL_STATES = Set.of("22", "23");

    /** The verdict for a failure, reading its whole cause chain. */
    public Verdict classify(Throwable failure) {
        Verdict weak = null;
        for (Throwable t : chain(failure)) {
            Verdict definite = definite(t);
            if (definite != null) {
                return definite;
            }
            if (weak == null && (t instanceof KafkaException || t instanceof IOException)) {
                weak = Verdict.RETRIED;
            }
        }
        return weak != null ? weak : Verdict.UNEXPECTED;
    }

    /** The dead letter's reason for a failure that is not retried. */
    public String reason(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof RecordFault fault) {
                return fault.reason();
            }
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException) {
                return TOO_LARGE;
            }
            if (t instanceof SerializationException) {
                return UNSERIALIZABLE;
            }
            if (isUnreadable(t)) {
                return UNREADABLE;
            }
            Verdict verdict = definite(t);
            if (verdict == Verdict.RECORD_FAULT) {
                return t instanceof ApiException ? REFUSED_BY_KAFKA : REFUSED_BY_DATABASE;
            }
            if (verdict != null) {
                break;
            }
        }
        return PROCESSING_FAILED;
    }

    /**
     * A description of the failure for the dead letter's detail, free of content: a record fault's own message, else
     * the exception types of the chain, with Kafka's messages (they name sizes and limits); at most 500 characters.
     */
    public String detail(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof RecordFault) {
                return bounded(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            }
        }
        StringBuilder detail = new StringBuilder();
        for (Throwable t : chain(failure)) {
            if (!detail.isEmpty()) {
                detail.append(" <- ");
            }
            detail.append(t.getClass().getSimpleName());
            if (t instanceof ApiException && t.getMessage() != null) {
                detail.append(": ").append(t.getMessage());
            }
        }
        return bounded(detail.toString());
    }

    private static String bounded(String text) {
        return text.length() > 500 ? text.substring(0, 500) : text;
    }

    // ---- route predicates and expressions (routes/*-errors.camel.yaml) -------------------------------------------

    /** onWhen: the exchange failed for an outage; retry, never commit past it. */
    public boolean retried(Exchange exchange) {
        return classify(failure(exchange)) == Verdict.RETRIED;
    }

    /** onWhen: the exchange failed for its record's own fault; dead-letter it now. */
    public boolean recordFault(Exchange exchange) {
        return classify(failure(exchange)) == Verdict.RECORD_FAULT;
    }

    /** onWhen: the exchange failed for no known reason; a few more tries, then dead-letter it. */
    public boolean unexpected(Exchange exchange) {
        return classify(failure(exchange)) == Verdict.UNEXPECTED;
    }

    /** onWhen: anything that is not retried (a record fault or unexpected). */
    public boolean notRetried(Exchange exchange) {
        return !retried(exchange);
    }

    static Throwable failure(Exchange exchange) {
        Throwable failure = exchange.getException();
        return failure != null ? failure : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }

    // ---- the rule --------------------------------------------------------------------------------------------------

    private static Verdict definite(Throwable t) {
        if (t instanceof RecordFault) {
            return Verdict.RECORD_FAULT;
        }
        if (t instanceof Outage) {
            return Verdict.RETRIED;
        }
        Verdict kafka = kafka(t);
        if (kafka != null) {
            return kafka;
        }
        Verdict database = database(t);
        if (database != null) {
            return database;
        }
        if (isUnreadable(t)) {
            return Verdict.RECORD_FAULT;
        }
        if (isAny(t, TIMEOUTS_AND_CONNECTIONS)) {
            return Verdict.RETRIED;
        }
        return null;
    }

    private static Verdict kafka(Throwable t) {
        if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                || t instanceof InvalidRecordException || t instanceof InvalidTimestampException
                || t instanceof SerializationException) {
            return Verdict.RECORD_FAULT;
        }
        if (t instanceof RetriableException || isAny(t, KAFKA_SESSION)) {
            return Verdict.RETRIED;
        }
        if (t instanceof UnknownServerException) {
            return Verdict.UNEXPECTED;
        }
        if (t instanceof ApiException) {
            return Verdict.RECORD_FAULT;
        }
        return null;
    }

    private static Verdict database(Throwable t) {
        if (t instanceof TransientDataAccessException || t instanceof RecoverableDataAccessException
                || t instanceof DataAccessResourceFailureException || t instanceof CannotCreateTransactionException
                || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                || t instanceof SQLNonTransientConnectionException) {
            return Verdict.RETRIED;
        }
        if (t instanceof DataIntegrityViolationException || t instanceof SQLIntegrityConstraintViolationException
                || t instanceof SQLDataException) {
            return Verdict.RECORD_FAULT;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2) {
            String stateClass = sql.getSQLState().substring(0, 2);
            if (PASSING_SQL_STATES.contains(stateClass)) {
                return Verdict.RETRIED;
            }
            if (REFUSED_SQL_STATES.contains(stateClass)) {
                return Verdict.RECORD_FAULT;
            }
        }
        return null;
    }

    /** JSON that cannot be read. (The CRM sinks read their CRMs' answers as outages when those are not JSON.) */
    private static boolean isUnreadable(Throwable t) {
        return t instanceof JsonProcessingException;
    }

    private static boolean isAny(Throwable t, List<Class<? extends Throwable>> types) {
        for (Class<? extends Throwable> type : types) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The failure and its causes, outermost first, each once (and suppressed-free: causes only). */
    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && chain.size() < MAX_CAUSES && seen.put(t, true) == null;
                t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
