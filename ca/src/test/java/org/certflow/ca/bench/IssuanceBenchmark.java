package org.certflow.ca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.CertificateAuthority;
import org.certflow.ca.InMemoryIssuanceJournal;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.SubjectData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full issuance (CSR inspection, key policy, build, lint, serial reservation, signing,
 * encoding) next to its crypto floor: one raw Bouncy Castle signature with a CA key of
 * the same type plus one verification of the subscriber's CSR. The ratio of the two says
 * how much of an issuance is anything but cryptography. {@link CaBenchmarks} runs both
 * with 1 and 2 threads and prints the ratio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 3, time = 2)
// The CA logs every issued serial at INFO; at thousands a second that would be the
// benchmark.
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class IssuanceBenchmark {

	@Param({ "RSA_2048", "RSA_3072", "EC_P256", "EC_P384", "ED25519" })
	public CaKeyAlgorithm caKey;

	private Path dir;

	private byte[] csr;

	private KeyPair floorKey;

	private CertificateAuthority ca;

	private final AtomicLong requestIds = new AtomicLong();

	@Setup(Level.Trial)
	public void createCa() throws Exception {
		this.dir = Files.createTempDirectory("certflow-jmh");
		// The subscriber's key is of the CA's type too, so the floor's verification is
		// the one issuance does.
		this.csr = BenchSupport.csr(BenchSupport.keyPair(this.caKey));
		this.floorKey = BenchSupport.keyPair(this.caKey);
		// Creates the key store once; each iteration opens it again below.
		CertificateAuthorities.openOrCreate(BenchSupport.settings(this.dir, this.caKey), new InMemoryIssuanceJournal());
	}

	/**
	 * A fresh journal per iteration: the in-memory journal keeps every certificate, and
	 * Ed25519 issues tens of thousands a second.
	 */
	@Setup(Level.Iteration)
	public void openCa() {
		this.ca = CertificateAuthorities.openOrCreate(BenchSupport.settings(this.dir, this.caKey),
				new InMemoryIssuanceJournal());
	}

	@TearDown(Level.Trial)
	public void deleteCa() throws IOException {
		BenchSupport.delete(this.dir);
	}

	@Benchmark
	public Object issue() {
		return this.ca
			.issue(new IssuanceRequest("bench-" + this.requestIds.incrementAndGet(), this.csr, "standard",
					SubjectData.of("Bench Subscriber", "bench@example.org")))
			.serial();
	}

	@Benchmark
	public boolean cryptoFloor() throws Exception {
		Signature s = Signature.getInstance(BenchSupport.signatureAlgorithm(this.caKey), BenchSupport.BC);
		s.initSign(this.floorKey.getPrivate());
		s.update(this.csr);
		byte[] signature = s.sign();
		PKCS10CertificationRequest parsed = new PKCS10CertificationRequest(this.csr);
		boolean valid = parsed.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BenchSupport.BC)
			.build(parsed.getSubjectPublicKeyInfo()));
		if (!valid || signature.length == 0) {
			throw new IllegalStateException("the benchmark CSR does not verify");
		}
		return valid;
	}

}
