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
import org.certflow.ca.OcspServer;
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
 * OCSP answers from the keyless {@link OcspServer} over a response the signer produced
 * ahead of time, for a request without a nonce: what an RA node does per request, without
 * Tomcat, Spring or the database.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
public class OcspCacheBenchmark {

	private Path dir;

	private OcspServer server;

	private byte[] request;

	@Setup(Level.Trial)
	public void issueOne() throws Exception {
		this.dir = Files.createTempDirectory("certflow-jmh-ocsp");
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities
			.openOrCreate(BenchSupport.settings(this.dir, CaKeyAlgorithm.EC_P256), journal, journal);
		IssuedCertificate cert = ca
			.issue(new IssuanceRequest("ocsp", BenchSupport.csr(BenchSupport.keyPair(CaKeyAlgorithm.EC_P256)),
					"standard", SubjectData.of("Bench Subscriber", "bench@example.org")));
		CertificateID id = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(ca.caChain().get(0)), cert.serial());
		this.request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
		byte[] produced = ca.produceOcsp(cert.serial()).orElseThrow().sha1Response();
		this.server = new OcspServer(ca.caChain().get(0), (serial, hash) -> produced);
	}

	@TearDown(Level.Trial)
	public void deleteCa() throws IOException {
		BenchSupport.delete(this.dir);
	}

	@Benchmark
	public byte[] preProducedResponse() {
		return this.server.respond(this.request);
	}

}
