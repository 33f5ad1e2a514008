package io.github.customerauth.simulator;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar keycloak-customer-auth-simulator.jar simulate-login --user alice --password 'Test-only-1!' [options]}:
 * runs a channel app's real browser login against a running Keycloak and prints the tokens, their claims and the
 * partner introspection answer; with {@code --refresh} and {@code --exchange} it refreshes and exchanges too.
 * Only the JDK is needed.
 */
public final class SimulateLogin {

    private static final Map<String, String> DEFAULTS = Map.of(
            "server", "http://localhost:8080", "realm", "customers", "client", "web-chat",
            "redirect-uri", "http://localhost:3000/callback",
            "partner", "partner-backend", "partner-secret", "partner-backend-secret-test-only");

    private SimulateLogin() {
    }

    public static void main(String[] args) {
        Map<String, String> options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        System.exit(run(options, System.out) ? 0 : 1);
    }

    /** @return whether the login ended with tokens */
    static boolean run(Map<String, String> o, PrintStream out) {
        LoginFlow flow = new LoginFlow(o.get("server"), o.get("realm"), o.get("client"), o.get("redirect-uri"));
        if (o.containsKey("conversation")) {
            flow = flow.withAuthorizationParameter("conversation_handle", o.get("conversation"));
        }
        LoginFlow.Result result = flow.login(o.get("user"), o.get("password"), o.get("totp-seed"), o.get("new-password"));
        out.println("outcome: " + result.outcome() + (result.message() == null ? "" : " (" + result.message() + ")"));
        if (result.outcome() != LoginFlow.Outcome.TOKENS) {
            return false;
        }
        String accessToken = result.field("access_token");
        print(out, "access token claims", Json.claims(accessToken));
        print(out, "ID token claims", Json.claims(result.field("id_token")));
        PartnerCalls partner = new PartnerCalls(o.get("server"), o.get("realm"), o.get("partner"), o.get("partner-secret"));
        print(out, "introspection (" + o.get("partner") + ")", partner.introspect(accessToken));
        if (o.containsKey("refresh")) {
            String refreshed = flow.refresh(result.field("refresh_token"));
            print(out, "refreshed access token claims", Json.claims(Json.string(refreshed, "access_token")));
        }
        if (o.containsKey("exchange")) {
            String exchanged = partner.exchange(accessToken);
            print(out, "exchanged token claims (" + o.get("partner") + ")", Json.claims(Json.string(exchanged, "access_token")));
        }
        if (o.containsKey("show-tokens")) {
            print(out, "token response", result.tokenResponseJson());
        }
        return true;
    }

    private static void print(PrintStream out, String title, String json) {
        out.println("--- " + title);
        out.println(json);
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>(DEFAULTS);
        int i = 0;
        if (args.length > 0 && args[0].equals("simulate-login")) {
            i = 1;
        }
        for (; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + arg);
            }
            String name = arg.substring(2);
            switch (name) {
                case "refresh", "exchange", "show-tokens" -> options.put(name, "true");
                case "server", "realm", "client", "redirect-uri", "user", "password", "totp-seed", "new-password",
                        "partner", "partner-secret", "conversation" -> {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(arg + " needs a value");
                    }
                    options.put(name, args[++i]);
                }
                default -> throw new IllegalArgumentException("unknown option: " + arg);
            }
        }
        if (!options.containsKey("user") || !options.containsKey("password")) {
            throw new IllegalArgumentException("--user and --password are required");
        }
        return options;
    }

    static String usage() {
        return """
                usage: java -jar keycloak-customer-auth-simulator.jar simulate-login --user NAME --password PW [options]
                  --server URL          default http://localhost:8080
                  --realm NAME          default customers
                  --client ID           web-chat (default), ios-app, android-app
                  --redirect-uri URI    default http://localhost:3000/callback (ios: com.example.chat.ios:/oauth2redirect)
                  --totp-seed SEED      answer the OTP form (the account's TOTP seed)
                  --new-password PW     answer the update-password form
                  --conversation HANDLE pass the chat's anonymous conversation (conversation_handle): the
                                        CODE_TO_TOKEN webhook carries it
                  --refresh             also refresh the token
                  --exchange            also exchange it for the partner (RFC 8693)
                  --partner ID --partner-secret S   partner used for introspection and exchange
                  --show-tokens         print the raw token response too""";
    }
}
