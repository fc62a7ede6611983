package io.github.wacrm.bridge.intake;

import java.util.ArrayDeque;
import java.util.Deque;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

/**
 * HTTP/1.1 pipelining on the webhook listener: the answers on one connection must go in the order of its requests.
 * The intake answers a refused request at once but a stored one only when Kafka has it, so without this two pipelined
 * requests could get each other's answers. One request per connection is handed to the route at a time: the requests
 * that arrive meanwhile wait (and the connection is not read further) until the answer of the one before is written.
 * Two sharable handlers, one state per connection: {@code requests} right after Netty's request decoder
 * ({@code decoders}), {@code responses} just before its response encoder ({@code encoders}).
 */
@Configuration(proxyBeanMethods = false)
public class PipelinedRequestOrder {

    private static final AttributeKey<State> STATE = AttributeKey.valueOf("whatsapp-pipelined-requests");

    /** Per connection: whether a request is with the route, and the parts of the requests waiting behind it. */
    private static final class State {
        private boolean requestWithRoute;
        private boolean forwarding;
        private final Deque<Object> waiting = new ArrayDeque<>();
    }

    /** Referenced by the intake endpoint as {@code decoders: "#pipelinedRequests"}. */
    @Bean
    public ChannelHandler pipelinedRequests() {
        return new Requests();
    }

    /** Referenced by the intake endpoint as {@code encoders: "#pipelinedResponses"}. */
    @Bean
    public ChannelHandler pipelinedResponses() {
        return new Responses();
    }

    @ChannelHandler.Sharable
    static final class Requests extends ChannelDuplexHandler {

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            State state = state(ctx);
            if (msg instanceof HttpRequest && (state.requestWithRoute || !state.waiting.isEmpty())) {
                state.waiting.add(msg);
                ctx.channel().config().setAutoRead(false);
                return;
            }
            if (!(msg instanceof HttpRequest) && !state.waiting.isEmpty()) {
                // a part of a request that waits
                state.waiting.add(msg);
                return;
            }
            forward(ctx, state, msg);
        }

        private static void forward(ChannelHandlerContext ctx, State state, Object msg) {
            if (msg instanceof HttpRequest) {
                state.requestWithRoute = true;
                state.forwarding = true;
            }
            if (msg instanceof LastHttpContent) {
                state.forwarding = false;
            }
            ctx.fireChannelRead(msg);
        }

        /** The answer of the request with the route is written: the next waiting request goes. */
        static void answered(ChannelHandlerContext ctx) {
            State state = ctx.channel().attr(STATE).get();
            if (state == null) {
                return;
            }
            state.requestWithRoute = false;
            if (state.waiting.isEmpty()) {
                // the common case, nothing pipelined behind it: no task, no lookup
                return;
            }
            ChannelHandlerContext requests = ctx.pipeline().context(Requests.class);
            if (requests == null) {
                return;
            }
            ctx.channel().eventLoop().execute(() -> {
                while (!state.requestWithRoute && !state.waiting.isEmpty()) {
                    Object next = state.waiting.poll();
                    forward(requests, state, next);
                    while (state.forwarding && !state.waiting.isEmpty()) {
                        forward(requests, state, state.waiting.poll());
                    }
                }
                if (state.waiting.isEmpty()) {
                    ctx.channel().config().setAutoRead(true);
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            State state = state(ctx);
            state.waiting.forEach(ReferenceCountUtil::release);
            state.waiting.clear();
            super.channelInactive(ctx);
        }
    }

    @ChannelHandler.Sharable
    static final class Responses extends ChannelOutboundHandlerAdapter {

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            // the end of an answer; "100 Continue" is not one
            boolean last = msg instanceof LastHttpContent
                    && !(msg instanceof HttpResponse response && response.status().code() == 100);
            super.write(ctx, msg, promise);
            if (last) {
                Requests.answered(ctx);
            }
        }
    }

    private static State state(ChannelHandlerContext ctx) {
        State state = ctx.channel().attr(STATE).get();
        if (state == null) {
            state = new State();
            ctx.channel().attr(STATE).set(state);
        }
        return state;
    }
}
