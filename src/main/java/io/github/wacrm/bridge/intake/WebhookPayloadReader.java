package io.github.wacrm.bridge.intake;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Reads the raw request body as bytes, never more than {@code whatsapp.webhook.max-body-bytes}: a declared
 * {@code Content-Length} over the limit is refused before reading, and a chunked body is refused as soon as it
 * passes the limit. The bytes are kept exactly as received, because the signature covers them.
 */
@Component("webhookPayloadReader")
public class WebhookPayloadReader implements Processor {

    private static final byte[] EMPTY = new byte[0];

    private final long maxBytes;

    @Autowired
    public WebhookPayloadReader(WebhookProperties properties) {
        this(properties.maxBodyBytes().toBytes());
    }

    public WebhookPayloadReader(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** Route step: replaces the streamed body with its bytes, or throws {@link PayloadTooLargeException}. */
    @Override
    public void process(Exchange exchange) {
        Message message = exchange.getMessage();
        message.setBody(read(message.getBody(), message.getHeader("Content-Length", String.class)));
    }

    public byte[] read(Object body, String contentLength) {
        if (contentLength != null && !contentLength.isBlank()) {
            try {
                if (Long.parseLong(contentLength.trim()) > maxBytes) {
                    throw new PayloadTooLargeException(maxBytes);
                }
            } catch (NumberFormatException ignored) {
                // a broken Content-Length is the container's problem; the bounded read below still holds
            }
        }
        if (body == null) {
            return EMPTY;
        }
        if (body instanceof byte[] bytes) {
            return checked(bytes);
        }
        if (body instanceof InputStream in) {
            return readBounded(in);
        }
        throw new IllegalArgumentException("unexpected body type " + body.getClass().getName());
    }

    private byte[] checked(byte[] bytes) {
        if (bytes.length > maxBytes) {
            throw new PayloadTooLargeException(maxBytes);
        }
        return bytes;
    }

    private byte[] readBounded(InputStream in) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBytes) {
                    throw new PayloadTooLargeException(maxBytes);
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the request body", e);
        }
    }
}
