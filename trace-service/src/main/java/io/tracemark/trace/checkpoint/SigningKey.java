package io.tracemark.trace.checkpoint;

import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The ledger's Ed25519 key pair. The private key is given as PKCS#8 (what {@code openssl genpkey
 * -algorithm ed25519 -outform DER} writes); the public key is derived from it and published as
 * SubjectPublicKeyInfo DER, and its key id is the SHA-256 of that DER in hex, so that anyone can
 * compute it from the published key with standard tools.
 */
public final class SigningKey {

    static final String ALGORITHM = "Ed25519";
    private static final int SIGNATURE_BYTES = 64;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** A new random key pair. */
    static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 platform provides Ed25519", e);
        }
    }

    /**
     * The key pair of a PKCS#8 private key in base64.
     *
     * @param source what to name in the message when the text is not such a key
     */
    static SigningKey fromPkcs8(String base64, String source) {
        PrivateKey key;
        try {
            key = KeyFactory.getInstance(ALGORITHM)
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(base64.strip())));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException(source + " is not an Ed25519 private key in PKCS#8 DER, base64 "
                    + "(make one with: openssl genpkey -algorithm ed25519 -outform DER | base64 -w0)", e);
        }
        SigningKey pair = new SigningKey(key, publicKeyOf((EdECPrivateKey) key));
        pair.selfCheck();
        return pair;
    }

    /**
     * Java 17 has no call that derives an Ed25519 public key from its private key, but its key pair
     * generator makes the private key from 32 bytes of the random source it is given and derives the
     * public key from them: given the private key's own bytes, it derives that key's public key.
     */
    private static PublicKey publicKeyOf(EdECPrivateKey key) {
        byte[] seed = key.getBytes().orElseThrow(() -> new IllegalStateException("the Ed25519 private key has no bytes"));
        SecureRandom replay = new SecureRandom() {
            @Override
            public void nextBytes(byte[] bytes) {
                System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
            }
        };
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
            generator.initialize(255, replay);
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 platform provides Ed25519", e);
        }
    }

    /** Signs and verifies once, so that a derived public key that does not belong to the key stops the start. */
    private void selfCheck() {
        byte[] probe = "tracemark-ledger-key-check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        if (!verifies(probe, sign(probe))) {
            throw new IllegalStateException("the public key derived from the ledger signing key does not verify its "
                    + "signatures; this Java runtime derives Ed25519 keys differently");
        }
    }

    /** The private key as PKCS#8 DER in base64, the form it is kept in. */
    String pkcs8() {
        return Base64.getEncoder().encodeToString(privateKey.getEncoded());
    }

    /** The public key as SubjectPublicKeyInfo DER in base64. */
    public String publicKey() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** The public key as a PEM block, what {@code openssl pkeyutl -pubin} reads. */
    public String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + publicKey() + "\n-----END PUBLIC KEY-----\n";
    }

    public String keyId() {
        return keyIdOf(publicKey.getEncoded());
    }

    /** The key id of a public key: SHA-256 of its SubjectPublicKeyInfo DER, in hex. */
    static String keyIdOf(byte[] subjectPublicKeyInfo) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(subjectPublicKeyInfo));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    byte[] sign(byte[] message) {
        try {
            Signature signer = Signature.getInstance(ALGORITHM);
            signer.initSign(privateKey);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** Whether {@code signature} is this key's signature of {@code message}. */
    boolean verifies(byte[] message, byte[] signature) {
        return verify(publicKey, message, signature);
    }

    /** A public key from SubjectPublicKeyInfo DER in base64, as {@link #publicKey()} writes it. */
    static PublicKey publicKey(String base64) {
        try {
            return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalStateException("a stored ledger public key is not an Ed25519 key", e);
        }
    }

    /** Whether {@code signature} is the key's signature of {@code message}; a malformed signature is not. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance(ALGORITHM);
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (SignatureException e) {
            return false;
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("a ledger public key is not an Ed25519 key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java 17 platform provides Ed25519", e);
        }
    }
}
