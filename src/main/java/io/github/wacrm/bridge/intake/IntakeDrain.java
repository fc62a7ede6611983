package io.github.wacrm.bridge.intake;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.GlobalEventExecutor;

/**
 * The webhook listener's graceful stop, before Camel's: on SIGTERM it stops accepting connections, lets every request
 * it has begun to read finish in the route (so it is answered, 200 once Kafka has it), answers each with
 * {@code Connection: close} and closes its connection, and closes the idle ones; only then does Camel stop the
 * consumer. Without it, Camel's stop of the Netty consumer answers 404 for a moment and then closes every connection,
 * the ones whose request is half read among them. Bounded by {@code whatsapp.webhook.drain-timeout}; a request still
 * unanswered then is cut off and counted in the log (Meta redelivers it: it never got its 200).
 */
@Configuration(proxyBeanMethods = false)
public class IntakeDrain implements SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(IntakeDrain.class);
    private static final AttributeKey<Boolean> ANSWERING = AttributeKey.valueOf("whatsapp-intake-answering");
    private static final AttributeKey<Long> QUIET_SINCE = AttributeKey.valueOf("whatsapp-intake-quiet-since");
    private static final AttributeKey<Boolean> ANSWERED = AttributeKey.valueOf("whatsapp-intake-answered");
    /** A connection this long without a request after its last answer is idle (a pooled keep-alive connection). */
    private static final long IDLE_NANOS = Duration.ofMillis(200).toNanos();
    /**
     * A connection that has not sent its first request yet is someone about to send one: it is given longer (on a
     * loaded machine its first bytes can take more than the idle time), still within the drain's bound.
     */
    private static final long FRESH_IDLE_NANOS = Duration.ofSeconds(2).toNanos();

    private final ChannelGroup connections = new DefaultChannelGroup("whatsapp-intake", GlobalEventExecutor.INSTANCE);
    private final Duration timeout;
    private volatile boolean draining;
    private volatile boolean running;

    public IntakeDrain(@Value("${whatsapp.webhook.drain-timeout:10s}") Duration timeout) {
        this.timeout = timeout;
    }

    /** Referenced by the intake endpoint's {@code decoders}: sees each connection and each request begun. */
    @Bean
    public ChannelHandler intakeDrainRequests() {
        return new Requests();
    }

    /** Referenced by the intake endpoint's {@code encoders}: sees each answer before it is encoded. */
    @Bean
    public ChannelHandler intakeDrainResponses() {
        return new Responses();
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful stop and Camel's (both run in lower phases). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }

    @Override
    public void stop() {
        running = false;
        Outcome outcome = drain();
        LOG.info("Webhook listener drained in {} ms: {} connection(s) closed idle, {} cut off with a request "
                + "unanswered", outcome.millis(), outcome.idleClosed(), outcome.cutOff());
    }

    /** What the drain did. */
    record Outcome(long millis, int idleClosed, int cutOff) {
    }

    /** Stops accepting, waits for the requests begun, closes the idle connections; at most {@code timeout}. */
    Outcome drain() {
        long start = System.nanoTime();
        draining = true;
        connections.forEach(IntakeDrain::stopAccepting);
        AtomicInteger idleClosed = new AtomicInteger();
        long deadline = start + timeout.toNanos();
        while (!connections.isEmpty() && System.nanoTime() < deadline) {
            long now = System.nanoTime();
            for (Channel connection : connections) {
                if (idle(connection, now)) {
                    connection.close();
                    idleClosed.incrementAndGet();
                }
            }
            sleep(20);
        }
        int cutOff = connections.size();
        connections.close().awaitUninterruptibly(1000);
        return new Outcome((System.nanoTime() - start) / 1_000_000, idleClosed.get(), cutOff);
    }

    boolean draining() {
        return draining;
    }

    private static boolean idle(Channel connection, long now) {
        Long quietSince = connection.attr(QUIET_SINCE).get();
        long idleAfter = Boolean.TRUE.equals(connection.attr(ANSWERED).get()) ? IDLE_NANOS : FRESH_IDLE_NANOS;
        return !Boolean.TRUE.equals(connection.attr(ANSWERING).get()) && quietSince != null
                && now - quietSince >= idleAfter;
    }

    /** Closes the listening socket the connection was accepted on: new connections are refused, not cut off. */
    private static void stopAccepting(Channel connection) {
        Channel listener = connection.parent();
        if (listener != null && listener.isOpen()) {
            listener.close();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * In the intake's {@code decoders}, which Camel places after the request aggregator: it sees whole requests only,
     * so it puts {@link BytesArriving} at the head of the pipeline, where the first byte of a request shows.
     */
    @ChannelHandler.Sharable
    final class Requests extends ChannelDuplexHandler {

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            ctx.channel().attr(QUIET_SINCE).set(System.nanoTime());
            ctx.pipeline().addFirst(BYTES_ARRIVING);
            connections.add(ctx.channel());
            if (draining) {
                // accepted just as the drain began: its request is still read and answered
                stopAccepting(ctx.channel());
            }
            super.channelActive(ctx);
        }
    }

    private static final ChannelHandler BYTES_ARRIVING = new BytesArriving();

    /** First in the pipeline: any byte read after an answer begins the next request. */
    @ChannelHandler.Sharable
    static final class BytesArriving extends ChannelInboundHandlerAdapter {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            ctx.channel().attr(ANSWERING).set(true);
            super.channelRead(ctx, msg);
        }
    }

    @ChannelHandler.Sharable
    final class Responses extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            boolean interim = msg instanceof HttpResponse response && response.status().code() == 100;
            if (draining && msg instanceof HttpResponse response && !interim) {
                HttpUtil.setKeepAlive(response, false);
            }
            boolean last = msg instanceof LastHttpContent && !interim;
            if (last) {
                ctx.channel().attr(ANSWERING).set(false);
                ctx.channel().attr(ANSWERED).set(true);
                ctx.channel().attr(QUIET_SINCE).set(System.nanoTime());
                if (draining) {
                    promise = promise.unvoid();
                    promise.addListener(ChannelFutureListener.CLOSE);
                }
            }
            super.write(ctx, msg, promise);
        }
    }
}
