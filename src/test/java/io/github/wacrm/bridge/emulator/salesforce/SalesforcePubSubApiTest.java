package io.github.wacrm.bridge.emulator.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;
import com.salesforce.eventbus.protobuf.SchemaRequest;
import com.salesforce.eventbus.protobuf.TopicRequest;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

/**
 * The Salesforce emulator's Pub/Sub API against the generated client of Salesforce's {@code pubsub_api.proto}: the
 * session is checked as the real service checks it, a topic's schema decodes its events, Subscribe sends no more than
 * was requested, and the three replay presets and a corrupted replay id behave as documented.
 */
class SalesforcePubSubApiTest {

    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    private SalesforceEmulator salesforce;
    private ManagedChannel channel;

    @BeforeEach
    void start() {
        salesforce = SalesforceEmulator.start(0, 0);
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", salesforce.pubSubPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        salesforce.close();
    }

    @Test
    void aCallWithoutAValidSessionOfThisOrgIsRefusedWithTheAuthErrorCode() {
        assertThatThrownBy(() -> pubSubClient("not-a-session", SalesforceEmulator.ORG_ID)
                .getTopic(TopicRequest.newBuilder().setTopicName("/event/WhatsApp_Send__e").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getTrailers().get(ERROR_CODE)).isEqualTo(SalesforcePubSubApi.AUTH_ERROR);
                });
        assertThatThrownBy(() -> pubSubClient(session(), "00D000000000002EAA")
                .getTopic(TopicRequest.newBuilder().setTopicName("/event/WhatsApp_Send__e").build()))
                .as("another org's tenant id").isInstanceOf(StatusRuntimeException.class);
    }

    @Test
    void theTopicsSchemaDecodesItsEvents() throws Exception {
        var client = pubSubClient(session(), SalesforceEmulator.ORG_ID);
        var topic = client.getTopic(TopicRequest.newBuilder().setTopicName("/event/WhatsApp_Send__e").build());
        assertThat(topic.getCanSubscribe()).isTrue();
        String json = client.getSchema(SchemaRequest.newBuilder().setSchemaId(topic.getSchemaId()).build()).getSchemaJson();
        Schema schema = new Schema.Parser().parse(json);
        assertThat(schema.getField("Recipient_Id__c")).isNotNull();
        assertThat(schema.getField("CreatedDate").schema().getType()).isEqualTo(Schema.Type.LONG);

        salesforce.org().events().publish("WhatsApp_Send__e", Map.of("Recipient_Id__c", "003000000000001AAA"));
        BlockingQueue<FetchResponse> responses = subscribe(ReplayPreset.EARLIEST, null, 10);
        FetchResponse response = responses.poll(5, TimeUnit.SECONDS);
        assertThat(response.getEventsCount()).isEqualTo(1);
        GenericRecord event = new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get()
                .binaryDecoder(response.getEvents(0).getEvent().getPayload().toByteArray(), null));
        assertThat(event.get("Recipient_Id__c").toString()).isEqualTo("003000000000001AAA");
        assertThat(response.getEvents(0).getEvent().getId()).isNotBlank();
    }

    @Test
    void subscribeSendsNoMoreThanWasRequestedAndResumesAfterAReplayId() throws Exception {
        for (int i = 0; i < 3; i++) {
            salesforce.org().events().publish("WhatsApp_Send__e", Map.of("Correlation_Id__c", "e" + i));
        }
        BlockingQueue<FetchResponse> earliest = subscribe(ReplayPreset.EARLIEST, null, 2);
        FetchResponse first = earliest.poll(5, TimeUnit.SECONDS);
        assertThat(first.getEventsCount()).isEqualTo(2);
        assertThat(first.getPendingNumRequested()).isZero();
        assertThat(earliest.poll(500, TimeUnit.MILLISECONDS)).as("nothing beyond what was requested").isNull();

        BlockingQueue<FetchResponse> custom = subscribe(ReplayPreset.CUSTOM, first.getLatestReplayId(), 10);
        FetchResponse rest = custom.poll(5, TimeUnit.SECONDS);
        assertThat(rest.getEventsCount()).as("only the event after the replay id").isEqualTo(1);

        BlockingQueue<FetchResponse> latest = subscribe(ReplayPreset.LATEST, null, 10);
        assertThat(latest.poll(500, TimeUnit.MILLISECONDS)).as("LATEST: nothing of the past").isNull();
        salesforce.org().events().publish("WhatsApp_Send__e", Map.of("Correlation_Id__c", "new"));
        assertThat(latest.poll(5, TimeUnit.SECONDS).getEventsCount()).isEqualTo(1);
    }

    @Test
    void aReplayIdTheBusNeverIssuedIsRefusedAsCorrupted() throws Exception {
        BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        var requests = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                headers(session(), SalesforceEmulator.ORG_ID))).subscribe(observer(new LinkedBlockingQueue<>(), errors));
        requests.onNext(FetchRequest.newBuilder().setTopicName("/event/WhatsApp_Send__e")
                .setReplayPreset(ReplayPreset.CUSTOM).setReplayId(ByteString.copyFrom(ByteBuffer.allocate(8)
                        .putLong(999_999).array())).setNumRequested(1).build());
        Throwable error = errors.poll(5, TimeUnit.SECONDS);
        assertThat(error).isInstanceOf(StatusRuntimeException.class);
        assertThat(Status.trailersFromThrowable(error).get(ERROR_CODE)).isEqualTo(SalesforcePubSubApi.CORRUPTED_REPLAY_ID);
    }

    private BlockingQueue<FetchResponse> subscribe(ReplayPreset preset, ByteString replayId, int requested) {
        BlockingQueue<FetchResponse> responses = new LinkedBlockingQueue<>();
        var requests = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                headers(session(), SalesforceEmulator.ORG_ID))).subscribe(observer(responses, new LinkedBlockingQueue<>()));
        FetchRequest.Builder request = FetchRequest.newBuilder().setTopicName("/event/WhatsApp_Send__e")
                .setReplayPreset(preset).setNumRequested(requested);
        if (replayId != null) {
            request.setReplayId(replayId);
        }
        requests.onNext(request.build());
        return responses;
    }

    private static StreamObserver<FetchResponse> observer(BlockingQueue<FetchResponse> responses,
            BlockingQueue<Throwable> errors) {
        return new StreamObserver<>() {
            @Override
            public void onNext(FetchResponse response) {
                responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
                errors.add(t);
            }

            @Override
            public void onCompleted() {
            }
        };
    }

    private PubSubGrpc.PubSubBlockingStub pubSubClient(String token, String tenant) {
        return PubSubGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(
                headers(token, tenant)));
    }

    private Metadata headers(String token, String tenant) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), token);
        headers.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), tenant);
        headers.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), salesforce.baseUrl());
        return headers;
    }

    private String session() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(salesforce.baseUrl()
                    + "/services/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=a"
                            + "&client_secret=b")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(answer.body()).path("access_token").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
