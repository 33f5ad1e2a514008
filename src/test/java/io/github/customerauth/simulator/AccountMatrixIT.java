package io.github.customerauth.simulator;

import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import io.github.customerauth.testsupport.AdminApi;
import io.github.customerauth.testsupport.Http;
import io.github.customerauth.testsupport.KeycloakServer;
import io.github.customerauth.testsupport.KeycloakSuite;
import io.github.customerauth.testsupport.Processes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every account of the testers' guide's test-account table, through the login simulator, as the table says. */
@ExtendWith(KeycloakSuite.class)
class AccountMatrixIT {

    static final String PASSWORD = "Test-only-1!";
    static final String TOTP_SEED = "test-only-totp-seed-1";
    static final IdentifierDerivation CUSTOMERS = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.VECTOR_KEY));
    static final IdentifierDerivation CUSTOMERS_EU = new IdentifierDerivation(IdentifierKey.of("1", KeycloakSuite.EU_KEY));

    static KeycloakServer server;

    @BeforeAll
    static void setUp() {
        server = KeycloakSuite.server();
    }

    @Test
    void aliceIsAStandardCustomer() {
        Simulation alice = simulate("--user", "alice", "--password", PASSWORD, "--refresh", "--exchange");

        assertThat(alice.outcome()).isEqualTo("TOKENS");
        assertThat(alice.section("access token claims")).containsEntry("customer_id", CUSTOMERS.derive("12345678"));
        assertThat(alice.section("introspection (partner-backend)")).containsEntry("active", true)
                .containsEntry("customer_id", CUSTOMERS.derive("12345678"));
        assertThat(alice.section("refreshed access token claims")).containsEntry("customer_id", CUSTOMERS.derive("12345678"));
        assertThat(alice.section("exchanged token claims (partner-backend)"))
                .containsEntry("customer_id", CUSTOMERS.derive("12345678")).doesNotContainKey("email");
    }

    @Test
    void bobsOddlyFormattedAccountNumberGivesItsCanonicalIdentifier() {
        assertThat(simulate("--user", "bob", "--password", PASSWORD).section("access token claims"))
                .containsEntry("customer_id", CUSTOMERS.derive("00123456"));
    }

    @Test
    void carolHasNoAccountNumberAndNoIdentifier() {
        Simulation carol = simulate("--user", "carol", "--password", PASSWORD);

        assertThat(carol.outcome()).isEqualTo("TOKENS");
        assertThat(carol.section("access token claims")).doesNotContainKey("customer_id");
    }

    @Test
    void danaGetsTheSameIdentifierOnTwoChannels() {
        Simulation web = simulate("--user", "dana", "--password", PASSWORD);
        Simulation ios = simulate("--user", "dana", "--password", PASSWORD, "--client", "ios-app",
                "--redirect-uri", "com.example.chat.ios:/oauth2redirect");

        assertThat(web.section("access token claims")).containsEntry("customer_id", CUSTOMERS.derive("23456789"));
        assertThat(ios.section("access token claims")).containsEntry("customer_id", CUSTOMERS.derive("23456789"))
                .containsEntry("azp", "ios-app");
    }

    @Test
    void erinIsDisabled() {
        assertThat(simulate("--user", "erin", "--password", PASSWORD).outcome()).isEqualTo("ACCOUNT_DISABLED");
    }

    @Test
    void frankMustChooseANewPasswordFirst() {
        assertThat(simulate("--user", "frank", "--password", PASSWORD).outcome()).isEqualTo("PASSWORD_UPDATE_REQUIRED");

        Simulation updated = simulate("--user", "frank", "--password", PASSWORD, "--new-password", "Test-only-2!");
        assertThat(updated.outcome()).isEqualTo("TOKENS");
        assertThat(updated.section("access token claims")).containsEntry("customer_id", CUSTOMERS.derive("45678901"));
    }

    @Test
    void ginasPasswordHasExpired() {
        Simulation expired = simulate("--user", "gina", "--password", PASSWORD);
        assertThat(expired.outcome()).as(expired.output()).isEqualTo("PASSWORD_UPDATE_REQUIRED");
        assertThat(simulate("--user", "gina", "--password", PASSWORD, "--new-password", "Test-only-2!").outcome())
                .isEqualTo("TOKENS");
    }

    @Test
    void ivyNeedsHerTotp() {
        assertThat(simulate("--user", "ivy", "--password", PASSWORD).outcome()).isEqualTo("OTP_REQUIRED");

        Simulation withCode = simulate("--user", "ivy", "--password", PASSWORD, "--totp-seed", TOTP_SEED);
        assertThat(withCode.outcome()).isEqualTo("TOKENS");
        assertThat(withCode.section("access token claims")).containsEntry("customer_id", CUSTOMERS.derive("67890123"));
    }

    @Test
    void jackAndKimAreOrdinaryCustomersWithTheirOwnIdentifiers() {
        assertThat(simulate("--user", "jack", "--password", PASSWORD).section("access token claims"))
                .containsEntry("customer_id", CUSTOMERS.derive("78901235"));
        assertThat(simulate("--user", "kim", "--password", PASSWORD).section("access token claims"))
                .containsEntry("customer_id", CUSTOMERS.derive("89012345"));
    }

    @Test
    void identifiersDoNotCrossRealms() {
        Simulation eu = simulate("--realm", "customers-eu", "--user", "alice", "--password", PASSWORD);

        String euId = (String) eu.section("access token claims").get("customer_id");
        assertThat(euId).isEqualTo(CUSTOMERS_EU.derive("12345678")).isNotEqualTo(CUSTOMERS.derive("12345678"));
    }

    @Test
    void fiveWrongPasswordsLockAnAccountForAWhile() {
        AdminApi admin = AdminApi.asBootstrapAdmin(server);
        AdminApi.createdId(admin.post("/admin/realms/customers/users", Map.of("username", "lena", "enabled", true,
                "email", "lena@customers.example.test", "firstName", "Lena", "lastName", "Locked",
                "attributes", Map.of("accountNumber", List.of("90123456")),
                "credentials", List.of(Map.of("type", "password", "value", PASSWORD, "temporary", false)))));
        for (int i = 0; i < 5; i++) {
            assertThat(simulate("--user", "lena", "--password", "wrong").outcome()).isEqualTo("INVALID_CREDENTIALS");
        }

        assertThat(simulate("--user", "lena", "--password", PASSWORD).outcome()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void theCommandLineRefusesBadArguments() {
        assertThatThrownBy(() -> SimulateLogin.parse(new String[] {"--user", "alice"}))
                .hasMessage("--user and --password are required");
        assertThatThrownBy(() -> SimulateLogin.parse(new String[] {"--colour", "red"}))
                .hasMessage("unknown option: --colour");
    }

    /** The testers' guide's command, as a tester types it: the simulator's own JAR, in a JVM of its own. */
    @Test
    void theReadmeCommandRunsTheSimulatorJar() {
        Path jar = Path.of(System.getProperty("simulator.jar"));
        String output = Processes.output(Path.of("."), Duration.ofMinutes(2),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                "simulate-login", "--server", server.baseUrl(), "--user", "alice", "--password", PASSWORD,
                "--refresh", "--exchange");
        Simulation alice = new Simulation(output);

        assertThat(alice.outcome()).as(output).isEqualTo("TOKENS");
        assertThat(alice.section("access token claims")).containsEntry("customer_id", CUSTOMERS.derive("12345678"));
        assertThat(alice.section("introspection (partner-backend)")).containsEntry("active", true);
        assertThat(alice.section("refreshed access token claims")).containsEntry("customer_id", CUSTOMERS.derive("12345678"));
        assertThat(alice.section("exchanged token claims (partner-backend)"))
                .containsEntry("customer_id", CUSTOMERS.derive("12345678"));
    }

    /** Runs the simulator's code as {@code java -jar ... simulate-login} would, in this JVM, and parses what it prints. */
    static Simulation simulate(String... args) {
        String[] withServer = new String[args.length + 2];
        withServer[0] = "--server";
        withServer[1] = server.baseUrl();
        System.arraycopy(args, 0, withServer, 2, args.length);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        SimulateLogin.run(SimulateLogin.parse(withServer), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Simulation(bytes.toString(StandardCharsets.UTF_8));
    }

    record Simulation(String output) {
        String outcome() {
            return output.lines().findFirst().orElse("").replaceFirst("^outcome: (\\w+).*$", "$1");
        }

        Map<String, Object> section(String title) {
            Map<String, String> sections = new LinkedHashMap<>();
            String current = null;
            for (String line : output.lines().toList()) {
                if (line.startsWith("--- ")) {
                    current = line.substring(4);
                } else if (current != null) {
                    sections.merge(current, line, String::concat);
                }
            }
            assertThat(sections).as(output).containsKey(title);
            return Http.json(sections.get(title));
        }
    }
}
