package io.github.customerauth.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A channel app's browser login, through Keycloak's real pages: authorization code with PKCE (S256), the password
 * form, then the OTP form and the update-password form when Keycloak shows them, then the code redemption. Used by
 * the {@code simulate-login} command and by the integration tests, so both exercise the same steps.
 */
public final class LoginFlow {

    /** How a login ended. */
    public enum Outcome { TOKENS, CODE_NOT_REDEEMED, INVALID_CREDENTIALS, ACCOUNT_DISABLED, OTP_REQUIRED, PASSWORD_UPDATE_REQUIRED, ERROR }

    public record Result(Outcome outcome, String tokenResponseJson, String message) {
        public String field(String name) {
            return Json.string(tokenResponseJson, name);
        }
    }

    private static final Pattern FORM = Pattern.compile("<form[^>]*id=\"(kc-[a-z-]+)\"[^>]*action=\"([^\"]+)\"");
    private static final Pattern CODE = Pattern.compile("[?&#]code=([^&]+)");
    private static final Pattern ERROR = Pattern.compile("[?&#]error=([^&]+)");
    private static final Pattern FEEDBACK = Pattern.compile(
            "(?:kc-feedback-text|input-error|kc-error-message|pf-v5-c-alert__title)[^>]*>\\s*(?:<[^>]+>\\s*)*([^<]+)");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String realmUrl;
    private final String clientId;
    private final String redirectUri;
    private final Map<String, String> extraParameters;
    private final boolean redeem;
    /** The browser's cookies, kept between logins; null: every login in a fresh browser. */
    private final CookieHandler browser;

    public LoginFlow(String serverUrl, String realm, String clientId, String redirectUri) {
        this(serverUrl.replaceAll("/+$", "") + "/realms/" + realm, clientId, redirectUri, Map.of(), true, null);
    }

    private LoginFlow(String realmUrl, String clientId, String redirectUri, Map<String, String> extraParameters,
                      boolean redeem, CookieHandler browser) {
        this.realmUrl = realmUrl;
        this.clientId = clientId;
        this.redirectUri = redirectUri;
        this.extraParameters = extraParameters;
        this.redeem = redeem;
        this.browser = browser;
    }

    /** A browser whose cookies (Keycloak's single sign-on session among them) last from one login to the next. */
    public static CookieHandler newBrowser() {
        return new BrowserCookies();
    }

    /**
     * The same flow in this browser: a login after another one of the same browser is a single sign-on (no form),
     * and may be of another client ({@link #forClient}).
     */
    public LoginFlow inBrowser(CookieHandler cookies) {
        return new LoginFlow(realmUrl, clientId, redirectUri, extraParameters, redeem, cookies);
    }

    /** The same flow, browser and parameters for another client of the realm. */
    public LoginFlow forClient(String otherClientId, String otherRedirectUri) {
        return new LoginFlow(realmUrl, otherClientId, otherRedirectUri, extraParameters, redeem, browser);
    }

    /** The same flow with one more authorization request parameter, e.g. the chat's {@code conversation_handle}. */
    public LoginFlow withAuthorizationParameter(String name, String value) {
        Map<String, String> extra = new LinkedHashMap<>(extraParameters);
        extra.put(name, value);
        return new LoginFlow(realmUrl, clientId, redirectUri, Map.copyOf(extra), redeem, browser);
    }

    /**
     * The same flow, ending at the app's redirect with the code unredeemed ({@link Outcome#CODE_NOT_REDEEMED}): a
     * login link the app did not start, whose {@code state} it refuses.
     */
    public LoginFlow withoutRedeemingTheCode() {
        return new LoginFlow(realmUrl, clientId, redirectUri, extraParameters, false, browser);
    }

    /**
     * @param totpSeed    the user's TOTP seed, or null (an OTP form then ends the flow with OTP_REQUIRED)
     * @param newPassword the password to set when Keycloak asks for one, or null
     */
    public Result login(String username, String password, String totpSeed, String newPassword) {
        HttpClient browser = HttpClient.newBuilder().cookieHandler(this.browser != null ? this.browser : new BrowserCookies())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String verifier = randomUrlSafe(32);
        String state = randomUrlSafe(8);
        // One scope parameter (Keycloak refuses a repeated one): openid unless the caller asked for its own.
        String authorize = realmUrl + "/protocol/openid-connect/auth?response_type=code"
                + (extraParameters.containsKey("scope") ? "" : "&scope=openid")
                + "&client_id=" + enc(clientId) + "&redirect_uri=" + enc(redirectUri)
                + "&state=" + state + "&code_challenge_method=S256&code_challenge=" + challenge(verifier)
                + (extraParameters.isEmpty() ? "" : "&" + form(extraParameters));
        HttpResponse<String> page = send(browser, HttpRequest.newBuilder(URI.create(authorize)).GET().build());
        Map<String, String> fields = Map.of("username", username, "password", password, "credentialId", "");
        boolean loginSubmitted = false;
        for (int step = 0; step < 8; step++) {
            String location = page.headers().firstValue("Location").orElse("");
            if (page.statusCode() == 302 && location.startsWith(redirectUri)) {
                Matcher error = ERROR.matcher(location);
                if (error.find()) {
                    // The OAuth error redirect (RFC 6749 4.1.2.1): the app hears it with the state it sent.
                    boolean stateKept = Pattern.compile("[?&#]state=" + Pattern.quote(state) + "(&|#|$)")
                            .matcher(location).find();
                    return new Result(Outcome.ERROR, null, "redirected to the app with error " + error.group(1)
                            + (stateKept ? "" : " and without the app's state")
                            + (CODE.matcher(location).find() ? " and with a code" : ""));
                }
                return redeem ? redeem(location, verifier)
                        : new Result(Outcome.CODE_NOT_REDEEMED, null, "redirected to the app with a code");
            }
            if (page.statusCode() == 302 && location.startsWith(realmUrl)) {
                // Keycloak moves on to its next page (a required action): follow it like a browser.
                page = send(browser, HttpRequest.newBuilder(URI.create(location)).GET().build());
                continue;
            }
            Matcher form = FORM.matcher(page.body());
            if (page.statusCode() != 200 || !form.find()) {
                return new Result(Outcome.ERROR, null, "HTTP " + page.statusCode() + feedback(page.body()));
            }
            String formId = form.group(1);
            if (formId.equals("kc-form-login") && loginSubmitted) {
                String feedback = feedback(page.body());
                Outcome outcome = feedback.toLowerCase().contains("disabled") ? Outcome.ACCOUNT_DISABLED
                        : Outcome.INVALID_CREDENTIALS;
                return new Result(outcome, null, feedback.strip());
            }
            switch (formId) {
                case "kc-form-login" -> loginSubmitted = true;
                case "kc-otp-login-form" -> {
                    if (totpSeed == null) {
                        return new Result(Outcome.OTP_REQUIRED, null, "the account has TOTP; give its seed");
                    }
                    fields = Map.of("otp", Totp.code(totpSeed, System.currentTimeMillis() / 1000));
                }
                case "kc-passwd-update-form" -> {
                    if (newPassword == null) {
                        return new Result(Outcome.PASSWORD_UPDATE_REQUIRED, null, "Keycloak asks for a new password");
                    }
                    fields = Map.of("password-new", newPassword, "password-confirm", newPassword);
                }
                default -> {
                    return new Result(Outcome.ERROR, null, "unexpected page " + formId);
                }
            }
            page = send(browser, HttpRequest.newBuilder(URI.create(form.group(2).replace("&amp;", "&")))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build());
        }
        return new Result(Outcome.ERROR, null, "too many pages");
    }

    public String refresh(String refreshToken) {
        return post(realmUrl + "/protocol/openid-connect/token", Map.of("grant_type", "refresh_token",
                "refresh_token", refreshToken, "client_id", clientId));
    }

    private Result redeem(String location, String verifier) {
        Matcher code = CODE.matcher(location);
        if (!code.find()) {
            return new Result(Outcome.ERROR, null, "redirect without code");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code.group(1));
        form.put("redirect_uri", redirectUri);
        form.put("client_id", clientId);
        form.put("code_verifier", verifier);
        return new Result(Outcome.TOKENS, post(realmUrl + "/protocol/openid-connect/token", form), null);
    }

    static String post(String url, Map<String, String> form, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)));
        if (headers.length > 0) {
            request.headers(headers);
        }
        HttpResponse<String> response = send(HttpClient.newHttpClient(), request.build());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static String feedback(String html) {
        Matcher m = FEEDBACK.matcher(html);
        return m.find() ? ": " + m.group(1).strip() : "";
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest request) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String form(Map<String, String> form) {
        return form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
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
}
