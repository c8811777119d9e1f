package dev.weft.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who may do what. Reading needs nothing; a change (removing a flow run from the history) needs the token
 * the dashboard was started with, as {@code Authorization: Bearer <token>} or {@code X-Weft-Token}, and a
 * dashboard started without one refuses every change. A dashboard on a loopback address answers only
 * requests addressed to a loopback name, so that a web page elsewhere cannot read it by pointing a name
 * of its own at 127.0.0.1 (DNS rebinding).
 *
 * <p>Immutable; thread-safe.
 */
final class Access {
    /** What a request for a change gets. */
    enum Verdict {
        /** It may change. */
        ALLOWED,
        /** The dashboard has no token: no change is allowed. */
        NO_TOKEN_SET,
        /** The request carries no token. */
        MISSING,
        /** The request carries another token. */
        WRONG
    }

    private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "[::1]");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final byte[] token;
    private final boolean loopbackOnly;

    Access(String token, InetSocketAddress bound) {
        this.token = token == null || token.isBlank() ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopbackOnly = bound.getAddress().isLoopbackAddress();
    }

    /** Whether changes are allowed to someone: the dashboard has a token. */
    boolean changesAllowed() {
        return token != null;
    }

    /** Whether a request is addressed to a name this dashboard answers to. */
    boolean addressedHere(HttpExchange exchange) {
        if (!loopbackOnly) {
            return true;
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        if (host == null) {
            return true; // HTTP/1.0: no name to check, and a browser always sends one
        }
        host = host.strip().toLowerCase(Locale.ROOT);
        int colon = host.lastIndexOf(':');
        if (colon > host.lastIndexOf(']')) {
            host = host.substring(0, colon);
        }
        return LOOPBACK_NAMES.contains(host) || LOOPBACK_V4.matcher(host).matches();
    }

    /** Whether a request may change the history, and if not, why. */
    Verdict change(HttpExchange exchange) {
        if (token == null) {
            return Verdict.NO_TOKEN_SET;
        }
        String given = exchange.getRequestHeaders().getFirst("X-Weft-Token");
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (given == null && authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = authorization.substring(7).strip();
        }
        if (given == null || given.isEmpty()) {
            return Verdict.MISSING;
        }
        // the same time for every wrong token, so that timing tells nothing of the right one
        return MessageDigest.isEqual(token, given.getBytes(StandardCharsets.UTF_8)) ? Verdict.ALLOWED : Verdict.WRONG;
    }
}
