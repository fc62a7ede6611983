package io.github.wacrm.bridge.emulator.salesforce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.ConsumerEvent;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.ProducerEvent;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.PublishRequest;
import com.salesforce.eventbus.protobuf.PublishResponse;
import com.salesforce.eventbus.protobuf.PublishResult;
import com.salesforce.eventbus.protobuf.SchemaInfo;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicInfo;
import com.salesforce.eventbus.protobuf.TopicRequest;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/**
 * Salesforce's Pub/Sub API ({@code pubsub_api.proto}: {@code GetTopic}, {@code GetSchema}, {@code Subscribe},
 * {@code Publish}) over gRPC, in plaintext on loopback, serving the org's {@link SalesforceEventBus}. Every call carries
 * the session as Salesforce requires ({@code accesstoken}, {@code instanceurl}, {@code tenantid} metadata): an unknown
 * or expired session is refused {@code UNAUTHENTICATED} with the trailer
 * {@code error-code: sfdc.platform.eventbus.grpc.service.auth.error}, another org's id likewise. {@code Subscribe}
 * follows the flow control of the real service: events go out only against {@code num_requested}, each
 * {@code FetchResponse} names the latest replay id and how many are still pending; {@code LATEST} starts after the
 * newest event, {@code EARLIEST} at the oldest kept, {@code CUSTOM} after the given replay id, and a replay id the bus
 * never issued is refused with {@code sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted}.
 */
public final class SalesforcePubSubApi extends PubSubGrpc.PubSubImplBase implements AutoCloseable {

    static final String AUTH_ERROR = "sfdc.platform.eventbus.grpc.service.auth.error";
    static final String CORRUPTED_REPLAY_ID = "sfdc.platform.eventbus.grpc.subscription.fetch.replayid.corrupted";
    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final int MAX_EVENTS_PER_RESPONSE = 100;

    private final SalesforceEventBus bus;
    private final Predicate<String> sessionValid;
    private final String orgId;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private Server server;

    SalesforcePubSubApi(SalesforceEventBus bus, Predicate<String> sessionValid, String orgId) {
        this.bus = bus;
        this.sessionValid = sessionValid;
        this.orgId = orgId;
    }

    SalesforcePubSubApi start(int port) {
        ServerInterceptor auth = new PubSubSessionCheck(sessionValid, orgId);
        try {
            server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
                    .addService(ServerInterceptors.intercept(this, auth)).build().start();
        } catch (IOException e) {
            throw new UncheckedIOException("Pub/Sub emulator could not listen on port " + port, e);
        }
        return this;
    }

    public int port() {
        return server.getPort();
    }

    /** Open {@code Subscribe} streams. */
    public int subscribers() {
        return subscriptions.size();
    }

    @Override
    public void close() {
        subscriptions.forEach(Subscription::end);
        server.shutdownNow();
        try {
            server.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void getTopic(TopicRequest request, StreamObserver<TopicInfo> answer) {
        bus.topic(request.getTopicName()).ifPresentOrElse(topic -> {
            answer.onNext(TopicInfo.newBuilder().setTopicName(topic.name()).setTenantGuid(orgId).setCanPublish(true)
                    .setCanSubscribe(true).setSchemaId(topic.schemaId()).setRpcId(rpcId()).build());
            answer.onCompleted();
        }, () -> answer.onError(notFound("topic " + request.getTopicName())));
    }

    @Override
    public void getSchema(SchemaRequest request, StreamObserver<SchemaInfo> answer) {
        bus.topicOfSchema(request.getSchemaId()).ifPresentOrElse(topic -> {
            answer.onNext(SchemaInfo.newBuilder().setSchemaId(topic.schemaId()).setSchemaJson(topic.schemaJson())
                    .setRpcId(rpcId()).build());
            answer.onCompleted();
        }, () -> answer.onError(notFound("schema " + request.getSchemaId())));
    }

    @Override
    public void publish(PublishRequest request, StreamObserver<PublishResponse> answer) {
        SalesforceEventBus.Topic topic = bus.topic(request.getTopicName()).orElse(null);
        if (topic == null) {
            answer.onError(notFound("topic " + request.getTopicName()));
            return;
        }
        PublishResponse.Builder response = PublishResponse.newBuilder().setSchemaId(topic.schemaId()).setRpcId(rpcId());
        for (ProducerEvent event : request.getEventsList()) {
            if (!event.getSchemaId().equals(topic.schemaId()) || !readable(topic, event.getPayload())) {
                answer.onError(Status.INVALID_ARGUMENT.withDescription("the event does not match the topic's schema "
                        + topic.schemaId()).asRuntimeException());
                return;
            }
            bus.append(topic, event.getPayload().toByteArray());
            long replayId = bus.latestReplayId();
            response.addResults(PublishResult.newBuilder().setCorrelationKey(event.getId())
                    .setReplayId(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(replayId).array())));
        }
        answer.onNext(response.build());
        answer.onCompleted();
    }

    @Override
    public StreamObserver<FetchRequest> subscribe(StreamObserver<FetchResponse> responses) {
        Subscription subscription = new Subscription((ServerCallStreamObserver<FetchResponse>) responses);
        subscriptions.add(subscription);
        return new StreamObserver<>() {
            @Override
            public void onNext(FetchRequest request) {
                subscription.fetch(request);
            }

            @Override
            public void onError(Throwable cancelled) {
                subscription.end();
            }

            @Override
            public void onCompleted() {
                subscription.end();
                subscription.complete();
            }
        };
    }

    /** One {@code Subscribe} stream: its topic, its position on the bus and the events it may still be sent. */
    private final class Subscription {
        private final ServerCallStreamObserver<FetchResponse> responses;
        private final Runnable listener = this::deliver;
        private SalesforceEventBus.Topic topic;
        private long position;
        private int pending;
        private boolean ended;

        Subscription(ServerCallStreamObserver<FetchResponse> responses) {
            this.responses = responses;
        }

        synchronized void fetch(FetchRequest request) {
            if (ended) {
                return;
            }
            if (topic == null) {
                topic = bus.topic(request.getTopicName()).orElse(null);
                if (topic == null) {
                    fail(notFound("topic " + request.getTopicName()));
                    return;
                }
                Long start = start(request);
                if (start == null) {
                    fail(withCode(Status.INVALID_ARGUMENT.withDescription("replay id is corrupted or unknown"),
                            CORRUPTED_REPLAY_ID));
                    return;
                }
                position = start;
                bus.onPublish(listener);
            }
            pending += Math.max(0, request.getNumRequested());
            deliver();
        }

        private Long start(FetchRequest request) {
            return switch (request.getReplayPreset()) {
                case LATEST -> bus.latestReplayId();
                case EARLIEST -> 0L;
                case CUSTOM -> {
                    ByteString id = request.getReplayId();
                    if (id.size() != 8) {
                        yield null;
                    }
                    long replayId = id.asReadOnlyByteBuffer().getLong();
                    // one never issued, or one whose event retention has purged (a subscriber away too long)
                    long purged = bus.purgedThrough();
                    yield replayId < 0 || (purged > 0 && replayId <= purged) || replayId > bus.latestReplayId() ? null
                            : replayId;
                }
                default -> null;
            };
        }

        synchronized void deliver() {
            if (ended || topic == null) {
                return;
            }
            while (pending > 0) {
                List<SalesforceEventBus.Event> events = bus.after(topic, position, Math.min(pending,
                        MAX_EVENTS_PER_RESPONSE));
                if (events.isEmpty()) {
                    return;
                }
                FetchResponse.Builder response = FetchResponse.newBuilder().setRpcId(rpcId());
                for (SalesforceEventBus.Event event : events) {
                    response.addEvents(ConsumerEvent.newBuilder().setReplayId(ByteString.copyFrom(event.replayIdBytes()))
                            .setEvent(ProducerEvent.newBuilder().setId(event.eventId()).setSchemaId(event.schemaId())
                                    .setPayload(ByteString.copyFrom(event.payload()))));
                    position = event.replayId();
                }
                pending -= events.size();
                response.setLatestReplayId(ByteString.copyFrom(events.get(events.size() - 1).replayIdBytes()))
                        .setPendingNumRequested(pending);
                try {
                    responses.onNext(response.build());
                } catch (RuntimeException cancelled) {
                    end();
                    return;
                }
            }
        }

        synchronized void end() {
            ended = true;
            bus.removeListener(listener);
            subscriptions.remove(this);
        }

        synchronized void complete() {
            try {
                responses.onCompleted();
            } catch (RuntimeException alreadyClosed) {
                // the client went first
            }
        }

        private void fail(StatusRuntimeException error) {
            end();
            responses.onError(error);
        }
    }

    private boolean readable(SalesforceEventBus.Topic topic, ByteString payload) {
        try {
            new GenericDatumReader<GenericRecord>(topic.schema()).read(null,
                    DecoderFactory.get().binaryDecoder(payload.toByteArray(), null));
            return true;
        } catch (IOException | RuntimeException unreadable) {
            return false;
        }
    }

    private static StatusRuntimeException notFound(String what) {
        return Status.NOT_FOUND.withDescription(what + " does not exist").asRuntimeException();
    }

    private static StatusRuntimeException withCode(Status status, String code) {
        Metadata trailers = new Metadata();
        trailers.put(ERROR_CODE, code);
        return status.asRuntimeException(trailers);
    }

    private static String rpcId() {
        return UUID.randomUUID().toString();
    }
}
