package io.github.wacrm.bridge.security;

import java.io.IOException;
import java.util.function.Function;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Reads {@code Authorization: Bearer <credential>} and, when {@code check} accepts it, authenticates its caller with
 * their roles and leaves the caller in the request ({@link Caller#ATTRIBUTE}) for the audit and the routes. A request
 * without an accepted credential goes on unauthenticated: the chain's rules refuse it where one is needed.
 */
public final class BearerAuthentication extends OncePerRequestFilter {

    private final Function<String, Caller> check;

    public BearerAuthentication(Function<String, Caller> check) {
        this.check = check;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader("Authorization");
        Caller caller = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? check.apply(authorization.substring(7).strip()) : null;
        if (caller != null) {
            SecurityContextHolder.getContext().setAuthentication(
                    new UsernamePasswordAuthenticationToken(caller.name(), null, caller.authorities()));
            request.setAttribute(Caller.ATTRIBUTE, caller);
        }
        chain.doFilter(request, response);
    }

    /** The JSON error body of a 401 or 403. */
    public static void refuse(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        if (status == 401) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.getWriter().write("{\"error\":{\"code\":\"" + (status == 401 ? "unauthorized" : "forbidden")
                + "\",\"message\":\"" + message + "\"}}");
    }
}
