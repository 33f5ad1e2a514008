package io.github.customerauth.bench;

import io.github.customerauth.identifier.AccountNumbers;
import io.github.customerauth.identifier.IdentifierDerivation;
import io.github.customerauth.identifier.IdentifierKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of one identifier, beside the cost of the RS256 signature that Keycloak puts on every token anyway (the
 * reference for the ratio in docs/benchmarks.md). Run with
 * {@code mvn -Pbench verify -Dbench.main=org.openjdk.jmh.Main}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DerivationBenchmark {

    private IdentifierDerivation derivation;
    private KeyPair rsa;
    private byte[] tokenSizedPayload;

    @Setup
    public void setUp() throws Exception {
        derivation = new IdentifierDerivation(IdentifierKey.of("1", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        rsa = generator.generateKeyPair();
        tokenSizedPayload = "x".repeat(900).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public String canonicaliseAndDerive() {
        return derivation.derive(AccountNumbers.canonical(" 0012 3456-78 "));
    }

    @Benchmark
    public String deriveOnly() {
        return derivation.derive("0012345678");
    }

    @Benchmark
    public byte[] referenceRs256TokenSignature() throws Exception {
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(rsa.getPrivate());
        signature.update(tokenSizedPayload);
        return signature.sign();
    }
}
