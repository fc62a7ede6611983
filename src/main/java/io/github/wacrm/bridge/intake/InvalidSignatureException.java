package io.github.wacrm.bridge.intake;

/** A POST whose signature is missing, malformed or wrong: answered 401, nothing stored. */
public class InvalidSignatureException extends RuntimeException {

    public InvalidSignatureException(String reason) {
        super(reason, null, false, false);
    }
}
