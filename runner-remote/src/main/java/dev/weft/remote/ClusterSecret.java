package dev.weft.remote;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret a Weft cluster's members share: every call sent to a worker and every outcome sent back carries
 * an HMAC-SHA256 of its bytes under it, checked before anything in them is deserialized. Hazelcast's
 * Community Edition has no authentication of its own; this is how a worker tells Weft's calls from anyone
 * else's.
 *
 * <p>A temporary cluster makes one per run; {@code weft worker} and a runner given an address read one from
 * a file or from the environment variable {@value #ENVIRONMENT}.
 */
public final class ClusterSecret {
    /** The environment variable a worker and a runner read the secret from when given no file. */
    public static final String ENVIRONMENT = "WEFT_CLUSTER_SECRET";

    /** The length of a signature, in bytes. */
    static final int SIGNATURE = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_LENGTH = 16;

    private final byte[] key;
    private final ThreadLocal<Mac> macs;

    private ClusterSecret(byte[] key) {
        if (key.length < MIN_LENGTH) {
            throw new IllegalArgumentException(
                    "A cluster secret needs at least " + MIN_LENGTH + " bytes, not " + key.length);
        }
        this.key = key.clone();
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /**
     * Makes a new random secret of 32 bytes, as a temporary cluster does for each run.
     *
     * @return the secret
     */
    public static ClusterSecret random() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return of(HexFormat.of().formatHex(key));
    }

    /**
     * Takes a secret given as text: at least 16 characters, such as 64 hex digits.
     *
     * @param text the secret
     * @return the secret
     * @throws IllegalArgumentException if it is shorter than 16 bytes
     */
    public static ClusterSecret of(String text) {
        return new ClusterSecret(text.strip().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads a secret from a file: its text, without surrounding white space.
     *
     * @param file the file
     * @return the secret
     * @throws IllegalArgumentException if the file cannot be read or holds too short a secret, naming it
     */
    public static ClusterSecret fromFile(Path file) {
        try {
            return of(Files.readString(file));
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the cluster secret from " + file + ": " + e, e);
        }
    }

    /**
     * Reads the secret from the environment variable {@value #ENVIRONMENT}.
     *
     * @return the secret, or null if the variable is not set
     */
    public static ClusterSecret fromEnvironment() {
        String text = System.getenv(ENVIRONMENT);
        return text == null || text.isBlank() ? null : of(text);
    }

    /** Returns the secret as the text {@link #of} read it from: for a worker JVM's environment. */
    String asText() {
        return new String(key, StandardCharsets.UTF_8);
    }

    /** Signs {@code bytes} under a purpose, so that a signature made for one use is refused for another. */
    byte[] sign(String purpose, byte[] bytes) {
        return sign(purpose, bytes, 0, bytes.length);
    }

    /** Signs {@code length} bytes of {@code bytes} from {@code offset}, under a purpose. */
    byte[] sign(String purpose, byte[] bytes, int offset, int length) {
        Mac mac = macs.get();
        mac.update(purpose.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        mac.update(bytes, offset, length);
        return mac.doFinal();
    }

    /** Whether {@code signature} is that of {@code bytes} under the purpose; compared in constant time. */
    boolean verify(String purpose, byte[] bytes, byte[] signature) {
        return signature != null && MessageDigest.isEqual(sign(purpose, bytes), signature);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("This JVM cannot compute " + ALGORITHM + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "ClusterSecret(" + key.length + " bytes)"; // never the secret itself
    }
}
