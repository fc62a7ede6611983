package io.github.wacrm.bridge.security;

import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * The management port's doors. Health, info and the Prometheus scrape stay open (probes and scrapes carry no
 * credential). Everything else needs a caller ({@link Credentials#operator}): a state-changing operation the role it
 * names — {@code POST /actuator/deadletters/{topic}} {@code dead-letter-replay}, {@code POST /actuator/hubspot}
 * {@code portal-setup}, {@code POST /actuator/erasure} {@code erasure} — and any other read {@code operator}; a write not listed here is refused to everyone, so a new
 * one stays shut until it is given its role. Each write and each refusal is recorded ({@link OperatorAudit}).
 */
@Configuration
@EnableConfigurationProperties(OperatorProperties.class)
public class OperatorSecurity {

    @Bean
    @Order(0)
    SecurityFilterChain operatorChain(HttpSecurity http, Credentials credentials, OperatorAudit audit)
            throws Exception {
        http.securityMatcher(EndpointRequest.toAnyEndpoint())
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(audit.filter(), SecurityContextHolderFilter.class)
                .addFilterBefore(new BearerAuthentication(credentials::operator), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
                        .requestMatchers(post("deadletters")).hasRole(Caller.role(Caller.DEAD_LETTER_REPLAY))
                        .requestMatchers(post("hubspot")).hasRole(Caller.role(Caller.PORTAL_SETUP))
                        // whom to erase travels in the body: never in a URL that access logs keep
                        .requestMatchers(new AndRequestMatcher(post("erasure"),
                                request -> request.getQueryString() != null)).denyAll()
                        .requestMatchers(post("erasure")).hasRole(Caller.role(Caller.ERASURE))
                        .requestMatchers(request -> "GET".equals(request.getMethod())
                                || "HEAD".equals(request.getMethod())).hasRole(Caller.role(Caller.OPERATOR))
                        .anyRequest().denyAll())
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, refused) -> BearerAuthentication.refuse(response,
                                401, "an operator token is required (Authorization: Bearer …)"))
                        .accessDeniedHandler((request, response, refused) -> BearerAuthentication.refuse(response,
                                403, "this caller's roles do not include this operation")));
        return http.build();
    }

    private static RequestMatcher post(String endpoint) {
        return new AndRequestMatcher(EndpointRequest.to(endpoint), request -> "POST".equals(request.getMethod()));
    }
}
