package com.meridianreview.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The identity provider that the template's JWT authorizers trust, played locally: a signing key
 * kept in the data directory (published as a JWKS), tokens signed with it for the issuer and
 * audience the template names, and the check API Gateway makes before a guarded route runs
 * (signature, {@code iss}, {@code aud} (or {@code client_id} when there is no {@code aud}), {@code exp},
 * {@code nbf}, {@code iat}).
 */
final class IdentityProvider {

    static final String KEY_FILE = "jwt/signing-key.json";

    /** What a token says about its holder, for {@link #issue}. */
    record Holder(String subject, String name, String email, List<String> groups, Duration lifetime) {
    }

    /** A verified token's claims, as the authorizer passes them to the function; or why it was refused. */
    record Check(Map<String, String> claims, List<String> scopes, String refusal) {
        boolean admitted() {
            return refusal == null;
        }

        static Check refused(String reason) {
            return new Check(Map.of(), List.of(), reason);
        }
    }

    private final RSAKey key;
    private final Clock clock;

    private IdentityProvider(RSAKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /** The provider whose key lives in {@code dataDir} (created there on first use); a fresh key per run when {@code dataDir} is null. */
    static IdentityProvider in(Path dataDir, Clock clock) {
        if (dataDir == null) {
            return new IdentityProvider(generate(), clock);
        }
        Path file = dataDir.resolve(KEY_FILE);
        try {
            if (Files.isRegularFile(file)) {
                return new IdentityProvider(RSAKey.parse(Files.readString(file)), clock);
            }
            Files.createDirectories(file.getParent());
            RSAKey key = generate();
            Path temporary = Files.createTempFile(file.getParent(), "signing-key", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temporary, key.toJSONString());
            try {
                // Two runners starting at once must end up with one key: the first to arrive keeps its own.
                Files.createLink(file, temporary);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // the other one's key stands
            } finally {
                Files.deleteIfExists(temporary);
            }
            return new IdentityProvider(RSAKey.parse(Files.readString(file)), clock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the token signing key in " + file + ": " + e.getMessage(), e);
        } catch (ParseException e) {
            throw new TemplateException(file + " is not a signing key (" + e.getMessage() + "); delete it and a new one is made");
        }
    }

    private static RSAKey generate() {
        try {
            return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256)
                    .keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot make a signing key: " + e.getMessage(), e);
        }
    }

    /** The same provider reading another clock (tokens issued in the past or the future, for tests). */
    IdentityProvider at(Clock other) {
        return new IdentityProvider(key, other);
    }

    /** The public key as a JSON Web Key Set, where an identity provider publishes it. */
    String jwks() {
        return new JWKSet(key.toPublicJWK()).toString(true);
    }

    /** An ID token as the template's authorizer expects it, for {@code holder}. */
    String issue(SamApplication.JwtAuthorizer authorizer, Holder holder) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(authorizer.issuer())
                .audience(authorizer.audiences().get(0))
                .subject(holder.subject())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(holder.lifetime())))
                .jwtID(UUID.randomUUID().toString())
                .claim("token_use", "id")
                .claim("auth_time", now.getEpochSecond());
        if (holder.name() != null) {
            claims.claim("name", holder.name());
        }
        if (holder.email() != null) {
            claims.claim("email", holder.email());
        }
        if (!holder.groups().isEmpty()) {
            claims.claim("cognito:groups", holder.groups());
        }
        return sign(claims.build());
    }

    /** Any claims, signed with this provider's key (tests make tokens no identity provider should issue). */
    String sign(JWTClaimsSet claims) {
        try {
            SignedJWT token = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(), claims);
            token.sign(new RSASSASigner(key));
            return token.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a token: " + e.getMessage(), e);
        }
    }

    /** API Gateway's check of the Authorization header for a route that {@code authorizer} guards. */
    Check check(SamApplication.JwtAuthorizer authorizer, String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Check.refused("no Authorization header");
        }
        String token = authorization.strip();
        if (token.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = token.substring(7).strip();
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Check.refused("not a signed JWT");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return Check.refused("signed with " + jwt.getHeader().getAlgorithm() + ", not RS256");
        }
        if (!key.getKeyID().equals(jwt.getHeader().getKeyID())) {
            return Check.refused("signed by a key the issuer does not publish (kid " + jwt.getHeader().getKeyID() + ")");
        }
        try {
            if (!jwt.verify(new RSASSAVerifier(key.toRSAPublicKey()))) {
                return Check.refused("the signature does not match");
            }
        } catch (JOSEException e) {
            return Check.refused("the signature cannot be checked: " + e.getMessage());
        }
        if (!authorizer.issuer().equals(claims.getIssuer())) {
            return Check.refused("issuer " + claims.getIssuer() + " is not " + authorizer.issuer());
        }
        // As API Gateway: the audience is aud; client_id stands in only for a token without aud (Cognito's access tokens).
        List<String> audiences = claims.getAudience() != null && !claims.getAudience().isEmpty() ? claims.getAudience()
                : claims.getClaim("client_id") == null ? List.of() : List.of(String.valueOf(claims.getClaim("client_id")));
        if (audiences.stream().noneMatch(authorizer.audiences()::contains)) {
            return Check.refused("audience " + audiences + " is not one of " + authorizer.audiences());
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null || !claims.getExpirationTime().toInstant().isAfter(now)) {
            return Check.refused(claims.getExpirationTime() == null ? "the token has no expiry" : "the token expired at " + claims.getExpirationTime().toInstant());
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now)) {
            return Check.refused("the token is not valid before " + claims.getNotBeforeTime().toInstant());
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now)) {
            return Check.refused("the token says it was issued in the future, at " + claims.getIssueTime().toInstant());
        }
        return new Check(asText(claims), scopes(claims), null);
    }

    /** As API Gateway hands claims to a function: every value as text, a list as "[a b]". */
    private static Map<String, String> asText(JWTClaimsSet claims) {
        Map<String, String> text = new LinkedHashMap<>();
        for (Map.Entry<String, Object> claim : claims.toJSONObject().entrySet()) {
            Object value = claim.getValue();
            text.put(claim.getKey(), value instanceof List<?> list
                    ? "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]"
                    : String.valueOf(value));
        }
        return text;
    }

    private static List<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        return scope == null ? List.of() : List.of(String.valueOf(scope).trim().split("\\s+"));
    }

    /** The first JWT authorizer of the template, for tokens when none is named. */
    static Optional<SamApplication.JwtAuthorizer> firstAuthorizer(SamApplication application) {
        return application.functions().stream().flatMap(f -> f.routes().stream()).map(SamApplication.Route::authorizer)
                .filter(java.util.Objects::nonNull).findFirst();
    }
}
