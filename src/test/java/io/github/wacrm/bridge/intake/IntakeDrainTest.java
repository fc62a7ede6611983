package io.github.wacrm.bridge.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

class IntakeDrainTest {

    @Test
    void beforeTheDrainAnswersKeepTheirConnectionOpen() {
        IntakeDrain drain = new IntakeDrain(Duration.ofSeconds(2));
        EmbeddedChannel connection = connection(drain);
        request(connection);

        HttpResponse answer = answer(connection);

        assertThat(answer.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
        assertThat(connection.isOpen()).isTrue();
    }

    @Test
    void aRequestBegunBeforeTheDrainIsAnsweredWithConnectionCloseAndThenItsConnectionCloses() throws Exception {
        IntakeDrain drain = new IntakeDrain(Duration.ofSeconds(5));
        EmbeddedChannel connection = connection(drain);
        connection.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/webhooks/whatsapp"));

        CompletableFuture<IntakeDrain.Outcome> drained = CompletableFuture.supplyAsync(drain::drain);
        await().atMost(Duration.ofSeconds(2)).until(drain::draining);
        // its body is still coming: well past the idle time, the drain waits for it
        Thread.sleep(400);
        assertThat(connection.isOpen()).isTrue();
        connection.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        HttpResponse answer = answer(connection);

        assertThat(answer.headers().get(HttpHeaderNames.CONNECTION)).isEqualToIgnoringCase("close");
        assertThat(connection.isOpen()).isFalse();
        IntakeDrain.Outcome outcome = drained.get(5, TimeUnit.SECONDS);
        assertThat(outcome.cutOff()).isZero();
        assertThat(outcome.idleClosed()).isZero();
        assertThat(outcome.millis()).isLessThan(5000);
    }

    @Test
    void anIdleConnectionIsClosedOnceItHasBeenQuietAMoment() {
        IntakeDrain drain = new IntakeDrain(Duration.ofSeconds(5));
        EmbeddedChannel connection = connection(drain);
        request(connection);
        answer(connection);

        IntakeDrain.Outcome outcome = drain.drain();

        assertThat(connection.isOpen()).isFalse();
        assertThat(outcome.idleClosed()).isEqualTo(1);
        assertThat(outcome.cutOff()).isZero();
        assertThat(outcome.millis()).isBetween(150L, 2000L);
    }

    @Test
    void aRequestStillUnansweredAtTheTimeoutIsCutOffAndCounted() {
        IntakeDrain drain = new IntakeDrain(Duration.ofMillis(500));
        EmbeddedChannel stuck = connection(drain);
        request(stuck);
        EmbeddedChannel idle = connection(drain);
        request(idle);
        answer(idle);

        IntakeDrain.Outcome outcome = drain.drain();

        assertThat(stuck.isOpen()).isFalse();
        assertThat(idle.isOpen()).isFalse();
        assertThat(outcome.cutOff()).isEqualTo(1);
        assertThat(outcome.idleClosed()).isEqualTo(1);
        assertThat(outcome.millis()).isBetween(500L, 3000L);
    }

    @Test
    void aNewConnectionWhoseFirstRequestHasNotComeIsGivenLongerThanAnAnsweredOne() {
        // on a loaded machine a new connection's first bytes can take longer than the idle time of an answered one
        IntakeDrain drain = new IntakeDrain(Duration.ofMillis(1000));
        EmbeddedChannel fresh = connection(drain);

        IntakeDrain.Outcome outcome = drain.drain();

        assertThat(outcome.idleClosed()).as("not closed as idle after 200 ms").isZero();
        assertThat(outcome.millis()).isGreaterThanOrEqualTo(1000L);
        assertThat(fresh.isOpen()).isFalse();
    }

    @Test
    void withNoConnectionTheDrainEndsAtOnce() {
        IntakeDrain drain = new IntakeDrain(Duration.ofSeconds(10));

        assertThat(drain.drain().millis()).isLessThan(1000);
    }

    private static EmbeddedChannel connection(IntakeDrain drain) {
        // every EmbeddedChannel has the same id unless given one, and a ChannelGroup holds one channel per id
        return new EmbeddedChannel(DefaultChannelId.newInstance(), drain.intakeDrainRequests(),
                drain.intakeDrainResponses());
    }

    private static void request(EmbeddedChannel connection) {
        connection.writeInbound(new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/webhooks/whatsapp"));
        connection.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
    }

    private static HttpResponse answer(EmbeddedChannel connection) {
        connection.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        return connection.readOutbound();
    }
}
