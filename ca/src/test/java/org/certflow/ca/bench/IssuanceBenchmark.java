package org.certflow.ca.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.certflow.ca.CaKeyAlgorithm;
import org.certflow.ca.CaSettings;
import org.certflow.ca.CertificateAuthorities;
import org.certflow.ca.CertificateAuthority;
import org.certflow.ca.InMemoryIssuanceJournal;
import org.certflow.ca.IssuanceRequest;
import org.certflow.ca.IssuedCertificate;
import org.certflow.ca.OcspServer;
import org.certflow.ca.RevocableCertificateAuthority;
import org.certflow.ca.SubjectData;

/**
 * Prints certificates per second for full issuance (CSR parse, policy, lint, sign,
 * encode) next to the crypto floor (one raw Bouncy Castle signature plus one CSR
 * signature verification with keys of the same type), for 1 and 2 threads, and OCSP
 * responses per second from the cache.
 *
 * <p>
 * Run: {@code ./mvnw -B -q -pl ca -Pbenchmark test-compile exec:exec}. Not a test: it
 * never runs during {@code verify}. Seconds per measurement: {@code -Dbench.seconds=5}
 * (passed through {@code -Dbench.jvmArgs}).
 */
public final class IssuanceBenchmark {

	private static final Provider BC = new BouncyCastleProvider();

	private static final long SECONDS = Long.getLong("bench.seconds", 4);

	private IssuanceBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path dir = Files.createTempDirectory("certflow-bench");
		System.out.printf(Locale.ROOT, "CertFlow CA benchmark: %d s per measurement, %d CPUs, %s%n", SECONDS,
				Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
		System.out.printf(Locale.ROOT, "%-10s %7s %14s %14s %8s%n", "CA key", "threads", "issued/s", "floor/s",
				"ratio");
		CaKeyAlgorithm[] types = { CaKeyAlgorithm.RSA_2048, CaKeyAlgorithm.RSA_3072, CaKeyAlgorithm.EC_P256,
				CaKeyAlgorithm.EC_P384, CaKeyAlgorithm.ED25519 };
		String only = System.getProperty("bench.only");
		for (CaKeyAlgorithm type : types) {
			if (only != null && !only.equals(type.name())) {
				continue;
			}
			CaSettings settings = settings(dir.resolve(type.name()), type);
			CertificateAuthority ca = CertificateAuthorities.openOrCreate(settings, new InMemoryIssuanceJournal());
			KeyPair subscriber = keyPair(type);
			byte[] csr = csr(subscriber);
			KeyPair floorKey = keyPair(type);
			String sigAlg = signatureAlgorithm(type);
			for (int threads = 1; threads <= 2; threads++) {
				AtomicLong ids = new AtomicLong();
				String prefix = type + "-" + threads + "-";
				Task issue = () -> {
					IssuedCertificate c = ca.issue(new IssuanceRequest(prefix + ids.incrementAndGet(), csr, "standard",
							SubjectData.of("Bench Subscriber", "bench@example.org")));
					sink(c.serial());
				};
				Task floorTask = () -> {
					Signature s = Signature.getInstance(sigAlg, BC);
					s.initSign(floorKey.getPrivate());
					s.update(csr);
					sink(s.sign());
					PKCS10CertificationRequest parsed = new PKCS10CertificationRequest(csr);
					if (!parsed.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC)
						.build(parsed.getSubjectPublicKeyInfo()))) {
						throw new IllegalStateException("CSR does not verify");
					}
				};
				double[] rates = compare(threads, issue, floorTask);
				double issued = rates[0];
				double floor = rates[1];
				System.out.printf(Locale.ROOT, "%-10s %7d %14.1f %14.1f %7.0f%%%n", type, threads, issued, floor,
						100 * issued / floor);
			}
		}
		ocsp(dir.resolve("ocsp"));
	}

	private static void ocsp(Path dir) throws Exception {
		InMemoryIssuanceJournal journal = new InMemoryIssuanceJournal();
		RevocableCertificateAuthority ca = CertificateAuthorities.openOrCreate(settings(dir, CaKeyAlgorithm.EC_P256),
				journal, journal);
		IssuedCertificate cert = ca.issue(new IssuanceRequest("ocsp", csr(keyPair(CaKeyAlgorithm.EC_P256)), "standard",
				SubjectData.of("Bench Subscriber", "bench@example.org")));
		CertificateID id = new CertificateID(
				new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1),
				new JcaX509CertificateHolder(ca.caChain().get(0)), cert.serial());
		byte[] request = new OCSPReqBuilder().addRequest(id).build().getEncoded();
		// The keyless server over the response the signer produced, as an RA node serves
		// it (without the database and its cache).
		byte[] produced = ca.produceOcsp(cert.serial()).orElseThrow().sha1Response();
		OcspServer server = new OcspServer(ca.caChain().get(0), (serial, hash) -> produced);
		for (int threads = 1; threads <= 2; threads++) {
			double rate = measure(threads, () -> sink(server.respond(request)));
			System.out.printf(Locale.ROOT, "OCSP from pre-produced responses, %d thread(s): %.0f responses/s%n",
					threads, rate);
		}
	}

	interface Task {

		void run() throws Exception;

	}

	private static double measure(int threads, Task task) throws Exception {
		// Warm-up lets the JIT compile the hot path before the clock starts.
		runFor(threads, task, Math.max(1, SECONDS / 2));
		return runFor(threads, task, SECONDS);
	}

	/**
	 * Alternates short slices of both tasks and keeps each one's best slice: on a machine
	 * shared with other builds, measuring one task after the other would compare
	 * different loads.
	 */
	private static double[] compare(int threads, Task first, Task second) throws Exception {
		runFor(threads, first, 1);
		runFor(threads, second, 1);
		double[] best = new double[2];
		for (int round = 0; round < SECONDS; round++) {
			best[0] = Math.max(best[0], runFor(threads, first, 1));
			best[1] = Math.max(best[1], runFor(threads, second, 1));
		}
		return best;
	}

	private static double runFor(int threads, Task task, long seconds) throws Exception {
		AtomicLong count = new AtomicLong();
		AtomicReference<Exception> failure = new AtomicReference<>();
		long end = System.nanoTime() + seconds * 1_000_000_000L;
		List<Thread> workers = new ArrayList<>();
		long start = System.nanoTime();
		for (int t = 0; t < threads; t++) {
			Thread w = new Thread(() -> {
				try {
					while (System.nanoTime() < end) {
						task.run();
						count.incrementAndGet();
					}
				}
				catch (Exception ex) {
					failure.set(ex);
				}
			});
			workers.add(w);
			w.start();
		}
		for (Thread w : workers) {
			w.join();
		}
		if (failure.get() != null) {
			throw failure.get();
		}
		return count.get() / ((System.nanoTime() - start) / 1e9);
	}

	private static volatile Object blackhole;

	private static void sink(Object o) {
		blackhole = o;
	}

	private static CaSettings settings(Path dir, CaKeyAlgorithm issuing) {
		return CaSettings.builder()
			.dataDir(dir)
			.keystorePassword("benchmark password".toCharArray())
			.issuingKeyAlgorithm(issuing)
			.crlUrl("http://ca.example.test/ca/crl")
			.ocspUrl("http://ca.example.test/ocsp")
			.caIssuersUrl("http://ca.example.test/ca/chain.pem")
			.certificatePolicyOid("1.3.6.1.4.1.99999.1.1")
			.build();
	}

	private static KeyPair keyPair(CaKeyAlgorithm type) throws Exception {
		return switch (type) {
			case RSA_2048, RSA_3072, RSA_4096 -> {
				KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
				g.initialize(
						(type == CaKeyAlgorithm.RSA_2048) ? 2048 : (type == CaKeyAlgorithm.RSA_3072) ? 3072 : 4096);
				yield g.generateKeyPair();
			}
			case EC_P256, EC_P384, EC_P521 -> {
				KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
				g.initialize(new ECGenParameterSpec((type == CaKeyAlgorithm.EC_P256) ? "secp256r1"
						: (type == CaKeyAlgorithm.EC_P384) ? "secp384r1" : "secp521r1"));
				yield g.generateKeyPair();
			}
			case ED25519 -> KeyPairGenerator.getInstance("Ed25519", BC).generateKeyPair();
		};
	}

	private static String signatureAlgorithm(CaKeyAlgorithm type) {
		return switch (type) {
			case RSA_2048, RSA_3072 -> "SHA256withRSA";
			case RSA_4096 -> "SHA384withRSA";
			case EC_P256 -> "SHA256withECDSA";
			case EC_P384 -> "SHA384withECDSA";
			case EC_P521 -> "SHA512withECDSA";
			case ED25519 -> "Ed25519";
		};
	}

	private static byte[] csr(KeyPair key) throws Exception {
		PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(new X500Name("CN=Bench"),
				SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
		String alg = (key.getPublic().getAlgorithm().startsWith("Ed")) ? "Ed25519"
				: key.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
		return b.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(key.getPrivate())).getEncoded();
	}

}
