package io.github.wacrm.bridge.outbound;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import io.github.wacrm.bridge.security.BearerAuthentication;
import io.github.wacrm.bridge.security.Caller;
import io.github.wacrm.bridge.security.Credentials;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Spring Security in front of the outbound REST API ({@code /api/**}), the same mechanism as the operator endpoints
 * ({@link Credentials}): a bearer token from {@code whatsapp.outbound.api-tokens} (several at once, for rotation),
 * compared in constant time, or a JWT of the organisation's identity provider with the role {@code outbound-sender};
 * the token's name (or the JWT's subject) is who asked, passed to the routes in {@link OutboundApi#CLIENT_HEADER} (a
 * caller's own header of that name is dropped). Anything else is 401 (403 for a JWT without the role) with an error
 * body. The actuator has its own chain ({@code OperatorSecurity}); the HubSpot workflow paths check HubSpot's
 * signature themselves.
 */
@Configuration
public class OutboundApiSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain outboundApiChain(HttpSecurity http, Credentials credentials) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerAuthentication(credentials::outboundClient), AnonymousAuthenticationFilter.class)
                .addFilterAfter(new ClientName(), BearerAuthentication.class)
                // platform-http answers in an async dispatch: it carries the first dispatch's verdict
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .anyRequest().hasRole(Caller.role(Caller.OUTBOUND_SENDER)))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, refused) -> BearerAuthentication.refuse(response,
                                401, "a valid bearer token is required (Authorization: Bearer …)"))
                        .accessDeniedHandler((request, response, refused) -> BearerAuthentication.refuse(response,
                                403, "this token may not send")));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain everythingElseChain(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable()).authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    /** Passes the authenticated caller's name to the routes, and only that. */
    static final class ClientName extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Caller caller = (Caller) request.getAttribute(Caller.ATTRIBUTE);
            chain.doFilter(new Named(request, caller == null ? null : caller.name()), response);
        }
    }

    /** The request with {@link OutboundApi#CLIENT_HEADER} set to the token's name (and only that). */
    private static final class Named extends HttpServletRequestWrapper {

        private final String name;

        Named(HttpServletRequest request, String name) {
            super(request);
            this.name = name;
        }

        @Override
        public String getHeader(String header) {
            return OutboundApi.CLIENT_HEADER.equalsIgnoreCase(header) ? name : super.getHeader(header);
        }

        @Override
        public Enumeration<String> getHeaders(String header) {
            if (OutboundApi.CLIENT_HEADER.equalsIgnoreCase(header)) {
                return Collections.enumeration(name == null ? List.of() : List.of(name));
            }
            return super.getHeaders(header);
        }

        @Override
        public Enumeration<String> getHeaderNames() {
            List<String> names = Collections.list(super.getHeaderNames()).stream()
                    .filter(h -> !OutboundApi.CLIENT_HEADER.equalsIgnoreCase(h)).collect(java.util.stream.Collectors.toList());
            if (name != null) {
                names.add(OutboundApi.CLIENT_HEADER);
            }
            return Collections.enumeration(names);
        }
    }
}
