package io.github.wacrm.bridge.outbound;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Spring Security in front of the outbound REST API ({@code /api/**}): a bearer token from
 * {@code whatsapp.outbound.api-tokens} (several at once, for rotation), compared in constant time; the token's name is
 * who asked, passed to the routes in {@link OutboundApi#CLIENT_HEADER} (a caller's own header of that name is
 * dropped). Anything else is 401 with an error body. The other paths (the actuator) keep their current, open access:
 * locking them is the governance issue's part.
 */
@Configuration
public class OutboundApiSecurity {

    @Bean
    @Order(1)
    SecurityFilterChain outboundApiChain(HttpSecurity http, OutboundProperties properties) throws Exception {
        http.securityMatcher("/api/**")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .addFilterBefore(new BearerTokens(properties), AnonymousAuthenticationFilter.class)
                // platform-http answers in an async dispatch: it carries the first dispatch's verdict
                .authorizeHttpRequests(requests -> requests
                        .dispatcherTypeMatchers(DispatcherType.ASYNC, DispatcherType.ERROR).permitAll()
                        .anyRequest().hasRole("OUTBOUND_SENDER"))
                .exceptionHandling(errors -> errors
                        .authenticationEntryPoint((request, response, refused) -> refuse(response, 401))
                        .accessDeniedHandler((request, response, refused) -> refuse(response, 403)));
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain everythingElseChain(HttpSecurity http) throws Exception {
        http.csrf(csrf -> csrf.disable()).authorizeHttpRequests(requests -> requests.anyRequest().permitAll());
        return http.build();
    }

    private static void refuse(HttpServletResponse response, int status) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.getWriter().write("{\"error\":{\"code\":\"" + (status == 401 ? "unauthorized" : "forbidden")
                + "\",\"message\":\"" + (status == 401 ? "a valid bearer token is required (Authorization: Bearer …)"
                        : "this token may not send") + "\"}}");
    }

    /** Reads {@code Authorization: Bearer <token>} and, for a configured token, authenticates its name. */
    static final class BearerTokens extends OncePerRequestFilter {

        private final OutboundProperties properties;

        BearerTokens(OutboundProperties properties) {
            this.properties = properties;
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            String authorization = request.getHeader("Authorization");
            String name = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? properties.tokenName(authorization.substring(7).strip()) : null;
            if (name != null) {
                SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(name, null,
                        List.of(new SimpleGrantedAuthority("ROLE_OUTBOUND_SENDER"))));
            }
            chain.doFilter(new Caller(request, name), response);
        }
    }

    /** The request with {@link OutboundApi#CLIENT_HEADER} set to the token's name (and only that). */
    private static final class Caller extends HttpServletRequestWrapper {

        private final String name;

        Caller(HttpServletRequest request, String name) {
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
