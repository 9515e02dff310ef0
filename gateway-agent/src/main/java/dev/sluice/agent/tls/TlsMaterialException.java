package dev.sluice.agent.tls;

/** Certificate or key files that cannot be used; the message names the file and what is wrong. */
final class TlsMaterialException extends Exception {

    TlsMaterialException(String message) {
        super(message);
    }
}
