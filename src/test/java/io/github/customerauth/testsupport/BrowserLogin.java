package io.github.customerauth.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The authorization code flow with PKCE (S256) through Keycloak's real login form, as a channel app's browser or
 * web view runs it: fetch the login page, post the form, follow the redirect, redeem the code.
 */
public final class BrowserLogin {

    private static final Pattern FORM_ACTION = Pattern.compile("<form[^>]*id=\"kc-form-login\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("[?&]code=([^&]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String realmUrl;
    private final String clientId;
    private final String redirectUri;

    public BrowserLogin(String baseUrl, String realm, String clientId, String redirectUri) {
        this.realmUrl = baseUrl + "/realms/" + realm;
        this.clientId = clientId;
        this.redirectUri = redirectUri;
    }

    /** Logs in, in a fresh browser (no SSO cookie), and returns the token endpoint's JSON answer. */
    public Map<String, Object> login(String username, String password) {
        HttpClient browser = HttpClient.newBuilder()
                .cookieHandler(new PlainHttpCookieJar())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String verifier = randomUrlSafe(32);
        String authorize = realmUrl + "/protocol/openid-connect/auth?response_type=code&scope=openid"
                + "&client_id=" + Http.enc(clientId) + "&redirect_uri=" + Http.enc(redirectUri)
                + "&state=" + randomUrlSafe(8) + "&code_challenge_method=S256&code_challenge=" + challenge(verifier);
        HttpResponse<String> loginPage = send(browser, HttpRequest.newBuilder(URI.create(authorize)).GET().build());
        Matcher action = FORM_ACTION.matcher(loginPage.body());
        if (loginPage.statusCode() != 200 || !action.find()) {
            throw new IllegalStateException("no login form (" + loginPage.statusCode() + ")");
        }
        HttpResponse<String> submitted = send(browser, HttpRequest.newBuilder(URI.create(action.group(1).replace("&amp;", "&")))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Http.form(Map.of("username", username, "password", password,
                        "credentialId", ""))))
                .build());
        String location = submitted.headers().firstValue("Location").orElse("");
        Matcher code = CODE.matcher(location);
        if (submitted.statusCode() != 302 || !location.startsWith(redirectUri) || !code.find()) {
            throw new LoginRefused(submitted.statusCode(), submitted.body());
        }
        HttpResponse<String> tokens = Http.postForm(realmUrl + "/protocol/openid-connect/token", Map.of(
                "grant_type", "authorization_code", "code", code.group(1), "redirect_uri", redirectUri,
                "client_id", clientId, "code_verifier", verifier));
        if (tokens.statusCode() != 200) {
            throw new IllegalStateException("code redemption failed: " + tokens.statusCode() + " " + tokens.body());
        }
        return Http.json(tokens.body());
    }

    public Map<String, Object> refresh(String refreshToken) {
        HttpResponse<String> tokens = Http.postForm(realmUrl + "/protocol/openid-connect/token", Map.of(
                "grant_type", "refresh_token", "refresh_token", refreshToken, "client_id", clientId));
        if (tokens.statusCode() != 200) {
            throw new IllegalStateException("refresh failed: " + tokens.statusCode() + " " + tokens.body());
        }
        return Http.json(tokens.body());
    }

    private static HttpResponse<String> send(HttpClient browser, HttpRequest request) {
        try {
            return browser.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomUrlSafe(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    /** The login form did not redirect back with a code: wrong password, disabled user, required action... */
    public static final class LoginRefused extends IllegalStateException {
        private final String page;

        LoginRefused(int status, String page) {
            super("login did not complete (HTTP " + status + ")");
            this.page = page;
        }

        public String page() {
            return page;
        }
    }
}
