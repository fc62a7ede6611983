package io.github.wacrm.bridge.emulator.salesforce;

import java.util.function.Predicate;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

/**
 * Refuses Pub/Sub calls without a valid session of this org, as the real service does: the {@code accesstoken} must
 * be a session the org issued and still holds, the {@code tenantid} the org's id; else {@code UNAUTHENTICATED} with
 * the trailer {@code error-code: sfdc.platform.eventbus.grpc.service.auth.error}.
 */
final class PubSubSessionCheck implements ServerInterceptor {

    private static final Metadata.Key<String> ERROR_CODE = Metadata.Key.of("error-code", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> ACCESS_TOKEN = Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> TENANT_ID = Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER);

    private final Predicate<String> sessionValid;
    private final String orgId;

    PubSubSessionCheck(Predicate<String> sessionValid, String orgId) {
        this.sessionValid = sessionValid;
        this.orgId = orgId;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
            ServerCallHandler<Q, A> next) {
        String token = headers.get(ACCESS_TOKEN);
        String tenant = headers.get(TENANT_ID);
        if (token == null || !sessionValid.test(token) || !orgId.equals(tenant)) {
            Metadata trailers = new Metadata();
            trailers.put(ERROR_CODE, SalesforcePubSubApi.AUTH_ERROR);
            call.close(Status.UNAUTHENTICATED.withDescription("the access token or tenant id is not valid"), trailers);
            return new ServerCall.Listener<>() {
            };
        }
        return Contexts.interceptCall(Context.current(), call, headers, next);
    }
}
