package org.certflow.ca;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequestBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers: settings in a temp dir, keys, CSRs, external tools. */
final class TestSupport {

	static final char[] PASSWORD = "correct horse battery".toCharArray();

	/**
	 * The standard class for subscribers named with their organisation: the S/MIME BR
	 * allow an organisation only in sponsor-validated certificates.
	 */
	static final IssuanceProfile SPONSORED = new IssuanceProfile("sponsored", java.time.Duration.ofDays(365),
			List.of(IssuanceProfile.EMAIL_PROTECTION, IssuanceProfile.CLIENT_AUTH), true,
			IssuanceProfile.SmimeValidation.SPONSOR);

	private TestSupport() {
	}

	static CaSettings.Builder settings(Path dataDir) {
		return CaSettings.builder()
			.dataDir(dataDir)
			.keystorePassword(PASSWORD)
			.crlUrl("http://ca.example.com/ca/crl")
			.ocspUrl("http://ca.example.com/ocsp")
			.caIssuersUrl("http://ca.example.com/ca/chain.pem")
			.certificatePolicyOid("1.3.6.1.4.1.99999.1.1");
	}

	static KeyPair ecKey(String curve) {
		try {
			KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Bc.PROVIDER);
			g.initialize(new ECGenParameterSpec(curve));
			return g.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair rsaKey(int bits) {
		try {
			KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", Bc.PROVIDER);
			g.initialize(bits);
			return g.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair ed25519Key() {
		try {
			return KeyPairGenerator.getInstance("Ed25519", Bc.PROVIDER).generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String signatureAlgorithm(PublicKey key) {
		return CaKeyAlgorithm.signatureAlgorithmFor(key);
	}

	static byte[] csr(KeyPair keys) {
		return csr(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()), keys.getPrivate(),
				signatureAlgorithm(keys.getPublic()), null);
	}

	static byte[] csr(KeyPair keys, Extensions requested) {
		return csr(SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()), keys.getPrivate(),
				signatureAlgorithm(keys.getPublic()), requested);
	}

	/** A CSR carrying {@code spki}, signed by {@code signer} (which need not match). */
	static byte[] csr(SubjectPublicKeyInfo spki, PrivateKey signer, String sigAlg, Extensions requested) {
		try {
			PKCS10CertificationRequestBuilder b = new PKCS10CertificationRequestBuilder(
					new X500Name("CN=Requested Name,O=Requested Org"), spki);
			if (requested != null) {
				b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, requested);
			}
			ContentSigner s = new JcaContentSignerBuilder(sigAlg).setProvider(Bc.PROVIDER).build(signer);
			return b.build(s).getEncoded();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String pem(String label, byte[] der) {
		StringWriter out = new StringWriter();
		try (PemWriter writer = new PemWriter(out)) {
			writer.writeObject(new PemObject(label, der));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	static void pkixValidate(X509Certificate leaf, List<X509Certificate> caChain) throws GeneralSecurityException {
		CertificateFactory cf = CertificateFactory.getInstance("X.509");
		List<X509Certificate> path = new ArrayList<>();
		path.add(leaf);
		path.addAll(caChain.subList(0, caChain.size() - 1));
		PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(caChain.get(caChain.size() - 1), null)));
		params.setRevocationEnabled(false);
		CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(path), params);
	}

	/**
	 * Runs an external tool. A tool that is not installed skips the test on a developer's
	 * machine; where CI is true or CERTFLOW_REQUIRE_TOOLS is true (.ci/run installs every
	 * tool), it fails it instead, so an independent check can never silently drop out of
	 * CI.
	 */
	static Result run(Path dir, String... command) throws IOException, InterruptedException {
		requireTool(command[0]);
		ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
		Process p = pb.start();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try (InputStream in = p.getInputStream()) {
			in.transferTo(out);
		}
		if (!p.waitFor(60, TimeUnit.SECONDS)) {
			p.destroyForcibly();
			throw new IllegalStateException("timed out: " + String.join(" ", command));
		}
		return new Result(p.exitValue(), out.toString(StandardCharsets.UTF_8));
	}

	private static Boolean pythonCryptography;

	static void requireTool(String tool) throws IOException, InterruptedException {
		boolean present = onPath(tool) && (!"python3".equals(tool) || pythonHasCryptography());
		if (present) {
			return;
		}
		String what = "python3".equals(tool) ? "python3 with the cryptography package" : tool;
		if ("true".equals(System.getenv("CI")) || "true".equals(System.getenv("CERTFLOW_REQUIRE_TOOLS"))) {
			throw new AssertionError(what + " is required here but not installed (see .ci/run)");
		}
		Assumptions.abort(what + " is not installed; CI installs it and runs this check");
	}

	private static boolean onPath(String tool) {
		String path = System.getenv("PATH");
		return path != null && Arrays.stream(path.split(java.io.File.pathSeparator))
			.anyMatch((dir) -> Files.isExecutable(Path.of(dir, tool)));
	}

	private static synchronized boolean pythonHasCryptography() throws IOException, InterruptedException {
		if (pythonCryptography == null) {
			Process probe = new ProcessBuilder("python3", "-c", "import cryptography").redirectErrorStream(true)
				.start();
			probe.getInputStream().transferTo(OutputStream.nullOutputStream());
			pythonCryptography = probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0;
		}
		return pythonCryptography;
	}

	static Path write(Path file, String text) throws IOException {
		Files.writeString(file, text, StandardCharsets.US_ASCII);
		return file;
	}

	record Result(int exitCode, String output) {
	}

}
