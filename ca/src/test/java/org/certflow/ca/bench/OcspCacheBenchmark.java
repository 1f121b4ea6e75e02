package org.certflow.ca.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.InMemoryIssuanceJournal;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.SubjectData;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * OCSP responses from the CA's cache for a request without a nonce: the answer the HTTP
 * endpoint wraps, without Tomcat and Spring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OcspCacheBenchmark {

	private Path dir;

	private RevocableCertificateAuthority ca;

	private byte[] request;

	@Setup(Level.Trial)
	public void issueOne() throws Exception {
		this.dir = Files.createTempDirectory("certflow-jmh-ocsp");
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		this.ca = CertificateAuthorities.openOrCreate(BenchSupport.settings(this.dir, CaKeyAlgorithm.EC_P256), journal,
				journal);
		IssuedCertificate cert = this.ca
			.issue(new IssuanceRequest("ocsp", BenchSupport.csr(BenchSupport.keyPair(CaKeyAlgorithm.EC_P256)),
					"standard", SubjectData.of("Bench Subscriber", "bench@example.org")));
		CertificateID id = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(this.ca.caChain().get(0)), cert.serial());
		this.request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
		// The first answer is signed and cached; the benchmark measures the ones after.
		this.ca.ocspResponse(this.request);
	}

	@TearDown(Level.Trial)
	public void deleteCa() throws IOException {
		BenchSupport.delete(this.dir);
	}

	@Benchmark
	public byte[] cachedResponse() {
		return this.ca.ocspResponse(this.request);
	}

}
