package org.certflow.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.certflow.ca.CsrInspector;
import org.certflow.ca.InspectedCsr;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.JavascriptExecutor;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * CertFlow's own browser JavaScript for keys made in the applicant's browser
 * ({@code /js/asn1.js}, {@code pkcs10.js}, {@code pkcs12.js}, {@code keystore.js}), run
 * in Debian's headless Chromium on a CertFlow page and checked by independent readers:
 * the CSRs by {@code openssl req -verify} and by the server's own {@link CsrInspector};
 * the PKCS#12 files by {@code openssl pkcs12} without {@code -legacy}, by {@code keytool}
 * and by the JDK's KeyStore; the DER writer byte for byte against Bouncy Castle. Where a
 * tool is missing the test skips, unless CI or CERTFLOW_REQUIRE_TOOLS asks for every tool
 * ({@link Tools}).
 */
class BrowserCryptoTest extends BrowserTest {

	private static final String PASSWORD = "correct-horse-42";

	@Autowired
	private CsrInspector inspector;

	private Path dir;

	@BeforeEach
	void openPage() throws IOException {
		this.dir = Files.createTempDirectory("browser-crypto");
		browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(180));
		open("/");
	}

	@ParameterizedTest
	@CsvSource({ "RSA-2048, RSA, 2048, rsaEncryption", "RSA-3072, RSA, 3072, rsaEncryption",
			"EC-P256, EC, 256, prime256v1" })
	void aCsrMadeInTheBrowserVerifiesInOpensslAndPassesTheServersInspection(String token, String algorithm, int bits,
			String opensslName) throws Exception {
		Tools.requireOpenssl();
		String csrPem = (String) js("""
				const p10 = await import('/js/pkcs10.js');
				const keys = await p10.generateKeyPair(args[0]);
				return (await p10.buildCsr(keys, args[1])).pem;
				""", token, "Zoë Ångström-Łukasz");
		assertThat(csrPem).startsWith("-----BEGIN CERTIFICATE REQUEST-----\n")
			.endsWith("-----END CERTIFICATE REQUEST-----\n");
		Path file = write("request.csr", csrPem.getBytes(StandardCharsets.US_ASCII));

		Result verified = run("openssl", "req", "-verify", "-noout", "-in", file.toString());
		assertThat(verified.exit()).as(verified.output()).isZero();
		assertThat(verified.output()).contains("verify OK");
		Result text = run("openssl", "req", "-noout", "-text", "-nameopt", "oneline,-esc_msb", "-in", file.toString());
		assertThat(text.exit()).as(text.output()).isZero();
		assertThat(text.output()).contains("Public-Key: (" + bits + " bit)", opensslName, "CN = Zoë Ångström-Łukasz",
				algorithm.equals("RSA") ? "sha256WithRSAEncryption" : "ecdsa-with-SHA256");

		InspectedCsr inspected = this.inspector.inspect(CsrInspector.decodePem(csrPem), "standard");
		assertThat(inspected.keyAlgorithm()).isEqualTo(algorithm);
		assertThat(inspected.keyBits()).isEqualTo(bits);
		assertThat(inspected.requestedSubject()).contains("Zoë Ångström-Łukasz");
	}

	@ParameterizedTest
	@ValueSource(strings = { "RSA", "EC" })
	void aPkcs12BuiltInTheBrowserOpensInOpensslWithoutLegacyInKeytoolAndInTheJdk(String keyType) throws Exception {
		Tools.requireOpenssl();
		Tools.require("keytool");
		KeyPair caKey = newRsaKey(2048);
		X509Certificate ca = certificate("CN=Browser Test CA", caKey, "CN=Browser Test CA",
				SubjectPublicKeyInfo.getInstance(caKey.getPublic().getEncoded()), true);
		KeyPair key = keyType.equals("RSA") ? newRsaKey(2048) : newEcKey("secp256r1");
		X509Certificate leaf = certificate("CN=Ada Applicant", caKey, "CN=Browser Test CA",
				SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), false);

		Path p12 = write("built.p12", buildInBrowser(key.getPrivate(), List.of(leaf, ca), PASSWORD));

		Result info = opensslReads(p12, PASSWORD);
		assertThat(info.output()).doesNotContain("Mac verify error");
		// The key and its certificate carry the same name and id (OpenSSL prints them
		// with
		// the PEM it writes); the CA certificate carries neither.
		String pems = Files.readString(this.dir.resolve("info.pem"));
		assertThat(pems.split("friendlyName: Ada Applicant", -1)).hasSize(3);
		assertThat(pems.split("localKeyID: ", -1)).hasSize(3);
		assertThat(opensslPublicKey(p12, PASSWORD)).isEqualTo(leaf.getPublicKey().getEncoded());

		Result wrong = run("openssl", "pkcs12", "-in", p12.toString(), "-passin",
				"file:" + write("wrong.txt", "wrong-password".getBytes(StandardCharsets.UTF_8)), "-nodes", "-info",
				"-out", this.dir.resolve("wrong.pem").toString());
		assertThat(wrong.exit()).as("a wrong password is refused by the MAC").isNotZero();
		assertThat(wrong.output()).contains("Mac verify error");

		Result listed = run("keytool", "-list", "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass",
				PASSWORD);
		assertThat(listed.exit()).as(listed.output()).isZero();
		assertThat(listed.output()).contains("Your keystore contains 1 entry");
		assertThat(listed.output().split("PrivateKeyEntry", -1)).hasSize(2);

		KeyStore store = KeyStore.getInstance("PKCS12", "SUN");
		store.load(new ByteArrayInputStream(Files.readAllBytes(p12)), PASSWORD.toCharArray());
		List<String> aliases = Collections.list(store.aliases());
		assertThat(aliases).containsExactly("ada applicant");
		Key stored = store.getKey(aliases.get(0), PASSWORD.toCharArray());
		assertThat(stored).isInstanceOf(PrivateKey.class);
		assertThat(stored.getEncoded()).isEqualTo(key.getPrivate().getEncoded());
		Certificate[] chain = store.getCertificateChain(aliases.get(0));
		assertThat(chain).containsExactly(leaf, ca);
		assertSignsForCertificate((PrivateKey) stored, leaf);
	}

	@Test
	void aPasswordWithNonAsciiCharactersWorksInOpenssl() throws Exception {
		Tools.requireOpenssl();
		KeyPair key = newEcKey("secp256r1");
		X509Certificate leaf = certificate("CN=Grete Müller", key, "CN=Grete Müller",
				SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), false);
		String password = "Grüße-Пароль-2026";
		Path p12 = write("unicode.p12", buildInBrowser(key.getPrivate(), List.of(leaf), password));
		Result info = opensslReads(p12, password);
		assertThat(info.output()).doesNotContain("Mac verify error");
		assertThat(opensslPublicKey(p12, password)).isEqualTo(key.getPublic().getEncoded());
		// The same letters in another Unicode normal form (u + combining diaeresis) are
		// another password: the bytes count, and the MAC says so.
		Result other = run("openssl", "pkcs12", "-in", p12.toString(), "-passin",
				"file:" + write("nfd.txt", "Gru\u0308ße-Пароль-2026".getBytes(StandardCharsets.UTF_8)), "-noout");
		assertThat(other.exit()).isNotZero();
	}

	@Test
	void aKeyKeptInIndexedDbIsFoundByItsCertificateAndBuildsAP12WhileItsWrappingKeyStaysSealed() throws Exception {
		Tools.requireOpenssl();
		@SuppressWarnings("unchecked")
		Map<String, Object> made = (Map<String, Object>) js("""
				const store = await import('/js/keystore.js');
				const made = await store.makeAndStoreKey('EC-P256', 'Ada Applicant');
				return made;
				""");
		String csrPem = (String) made.get("pem");
		PKCS10CertificationRequest csr = new PKCS10CertificationRequest(CsrInspector.decodePem(csrPem));
		KeyPair caKey = newRsaKey(2048);
		X509Certificate leaf = certificate("CN=Ada Applicant", caKey, "CN=Browser Test CA",
				csr.getSubjectPublicKeyInfo(), false);
		X509Certificate stranger = certificate("CN=Someone Else", caKey, "CN=Browser Test CA",
				SubjectPublicKeyInfo.getInstance(newEcKey("secp256r1").getPublic().getEncoded()), false);

		@SuppressWarnings("unchecked")
		Map<String, Object> found = (Map<String, Object>) js("""
				const asn1 = await import('/js/asn1.js');
				const p12 = await import('/js/pkcs12.js');
				const store = await import('/js/keystore.js');
				const leaf = asn1.fromBase64(args[0]);
				const record = await store.findKeyBySpki(p12.certificateSpki(leaf));
				const stranger = await store.findKeyBySpki(p12.certificateSpki(asn1.fromBase64(args[1])));
				let exportRefused = false;
				try {
					await crypto.subtle.exportKey('raw', record.wrappingKey);
				} catch (e) {
					exportRefused = e.name === 'InvalidAccessError';
				}
				const pkcs8 = await store.decryptPrivateKey(record);
				const file = await p12.buildPkcs12({ privateKey: pkcs8, certificates: [leaf], password: args[2] });
				pkcs8.fill(0);
				return {
					id: record.id,
					fields: Object.keys(record).sort().join(','),
					algorithm: record.algorithm,
					wrappingExtractable: record.wrappingKey.extractable,
					wrappingUsages: record.wrappingKey.usages.slice().sort().join(','),
					exportRefused,
					strangerFound: stranger !== null,
					p12: asn1.base64(file),
				};
				""", base64(leaf.getEncoded()), base64(stranger.getEncoded()), PASSWORD);
		assertThat(found.get("id")).isEqualTo(made.get("id"));
		assertThat(found.get("fields")).isEqualTo("algorithm,created,encryptedPkcs8,id,iv,spki,wrappingKey");
		assertThat(found.get("algorithm")).isEqualTo("EC-P256");
		assertThat(found.get("wrappingExtractable")).isEqualTo(false);
		assertThat(found.get("wrappingUsages")).isEqualTo("decrypt,encrypt");
		assertThat(found.get("exportRefused")).as("the wrapping key cannot be exported").isEqualTo(true);
		assertThat(found.get("strangerFound")).isEqualTo(false);

		Path p12 = write("stored.p12", Base64.getDecoder().decode((String) found.get("p12")));
		opensslReads(p12, PASSWORD);
		assertThat(opensslPublicKey(p12, PASSWORD)).isEqualTo(leaf.getPublicKey().getEncoded());

		Object afterRemoval = js("""
				const asn1 = await import('/js/asn1.js');
				const p12 = await import('/js/pkcs12.js');
				const store = await import('/js/keystore.js');
				await store.removeKey(args[0]);
				return await store.findKeyBySpki(p12.certificateSpki(asn1.fromBase64(args[1])));
				""", made.get("id"), base64(leaf.getEncoded()));
		assertThat(afterRemoval).isNull();
	}

	@Test
	void theDerWriterEncodesLengthsAndIntegersAsBouncyCastleDoes() throws Exception {
		int[] lengths = { 0, 1, 127, 128, 255, 256, 65535, 65536, 70000 };
		List<Object> written = jsList("""
				const asn1 = await import('/js/asn1.js');
				return args[0].map((n) => asn1.hex(asn1.octets(new Uint8Array(n).fill(7))));
				""", toList(lengths));
		for (int i = 0; i < lengths.length; i++) {
			byte[] content = new byte[lengths[i]];
			java.util.Arrays.fill(content, (byte) 7);
			assertThat(written.get(i)).as("OCTET STRING of %d bytes", lengths[i])
				.isEqualTo(hex(new DEROctetString(content)));
		}

		// Unsigned big-endian magnitudes: high bit set needs a 0x00 in front; leading
		// zeros go.
		List<String> magnitudes = List.of("00", "7f", "80", "ff", "0080", "000000ff", "8000000000000000",
				"ff".repeat(129), "00".repeat(32) + "01");
		List<Object> integers = jsList(
				"""
						const asn1 = await import('/js/asn1.js');
						return args[0].map((h) => asn1.hex(asn1.int(Uint8Array.from(h.match(/../g).map((b) => parseInt(b, 16))))));
						""",
				magnitudes);
		for (int i = 0; i < magnitudes.size(); i++) {
			assertThat(integers.get(i)).as("INTEGER %s", magnitudes.get(i))
				.isEqualTo(hex(new ASN1Integer(new BigInteger(1, HexFormat.of().parseHex(magnitudes.get(i))))));
		}
		assertThat(js("return (await import('/js/asn1.js')).hex((await import('/js/asn1.js')).int(65536));"))
			.isEqualTo(hex(new ASN1Integer(65536)));

		Map<?, ?> others = (Map<?, ?>) js("""
				const asn1 = await import('/js/asn1.js');
				const p10 = await import('/js/pkcs10.js');
				const raw = new Uint8Array(64);
				raw[0] = 0x80; raw[31] = 1; raw[63] = 2; // r has its high bit set, s has 31 leading zeros
				return {
					oid: asn1.hex(asn1.oid('1.2.840.113549.1.1.11')),
					bigArc: asn1.hex(asn1.oid('2.999.16384')),
					oidBack: asn1.readOid(asn1.readAll(asn1.oid('1.2.840.10045.4.3.2'))),
					set: asn1.hex(asn1.set(asn1.octets([2, 2]), asn1.int(5), asn1.octets([1]))),
					bmp: asn1.hex(asn1.bmp('Grüße')),
					utf8: asn1.hex(asn1.utf8('Пароль')),
					ecdsa: asn1.hex(p10.ecdsaRawToDer(raw)),
				};
				""");
		assertThat(others.get("oid")).isEqualTo(hex(new ASN1ObjectIdentifier("1.2.840.113549.1.1.11")));
		assertThat(others.get("bigArc")).isEqualTo(hex(new ASN1ObjectIdentifier("2.999.16384")));
		assertThat(others.get("oidBack")).isEqualTo("1.2.840.10045.4.3.2");
		assertThat(others.get("set")).isEqualTo(hex(new DERSet(new ASN1Encodable[] {
				new DEROctetString(new byte[] { 2, 2 }), new ASN1Integer(5), new DEROctetString(new byte[] { 1 }) })));
		assertThat(others.get("bmp")).isEqualTo(hex(new DERBMPString("Grüße")));
		assertThat(others.get("utf8")).isEqualTo(hex(new DERUTF8String("Пароль")));
		byte[] r = new byte[32];
		r[0] = (byte) 0x80;
		r[31] = 1;
		assertThat(others.get("ecdsa")).isEqualTo(hex(new DERSequence(
				new ASN1Encodable[] { new ASN1Integer(new BigInteger(1, r)), new ASN1Integer(BigInteger.TWO) })));
	}

	@Test
	void theDerReaderReadsLongLengthsAndRefusesWhatIsNotDer() throws Exception {
		byte[] big = new byte[70000];
		big[69999] = 9;
		byte[] mid = new byte[200];
		mid[199] = 8;
		String bigDer = base64(new DEROctetString(big).getEncoded());
		String midDer = base64(new DERSequence(new DEROctetString(mid)).getEncoded());
		Map<?, ?> read = (Map<?, ?>) js("""
				const asn1 = await import('/js/asn1.js');
				const big = asn1.readAll(asn1.fromBase64(args[0]));
				const mid = asn1.children(asn1.readAll(asn1.fromBase64(args[1])))[0];
				const refusal = (hex, inside) => {
					try {
						const element = asn1.readAll(Uint8Array.from(hex.match(/../g).map((b) => parseInt(b, 16))));
						if (inside) {
							asn1.children(element);
						}
						return 'accepted';
					} catch (e) {
						return e.message;
					}
				};
				return {
					bigHeader: big.headerLength, bigLength: big.length, bigLast: big.value[69999],
					midHeader: mid.headerLength, midLength: mid.length, midLast: mid.value[199],
					truncated: refusal('040501'),
					indefinite: refusal('30800000'),
					nonMinimal: refusal('04810105'),
					leadingZeroLength: refusal('04820080' + '00'.repeat(128)),
					trailing: refusal('04010500'),
					pastEnd: refusal('3003040205', true),
					unsigned: asn1.hex(asn1.readUnsigned(asn1.readAll(asn1.int([0x80, 1])))),
				};
				""", bigDer, midDer);
		assertThat(read.get("bigHeader")).as("tag, 0x83, three length bytes").isEqualTo(5L);
		assertThat(read.get("bigLength")).isEqualTo(70000L);
		assertThat(read.get("bigLast")).isEqualTo(9L);
		assertThat(read.get("midHeader")).isEqualTo(3L);
		assertThat(read.get("midLength")).isEqualTo(200L);
		assertThat(read.get("midLast")).isEqualTo(8L);
		assertThat(read.get("truncated")).asString().contains("runs past the end");
		assertThat(read.get("indefinite")).asString().contains("indefinite length");
		assertThat(read.get("nonMinimal")).asString().contains("non-minimal length");
		assertThat(read.get("leadingZeroLength")).asString().contains("non-minimal length");
		assertThat(read.get("trailing")).asString().contains("trailing bytes");
		assertThat(read.get("pastEnd")).asString().contains("runs past the end");
		assertThat(read.get("unsigned")).isEqualTo("8001");
	}

	// ---------------------------------------------------------------------------

	private byte[] buildInBrowser(PrivateKey key, List<X509Certificate> chain, String password) throws Exception {
		List<String> certificates = new ArrayList<>();
		for (X509Certificate certificate : chain) {
			certificates.add(base64(certificate.getEncoded()));
		}
		String p12 = (String) js("""
				const asn1 = await import('/js/asn1.js');
				const p12 = await import('/js/pkcs12.js');
				const certificates = args[1].map(asn1.fromBase64);
				const file = await p12.buildPkcs12({
					privateKey: asn1.fromBase64(args[0]),
					certificates,
					password: args[2],
					friendlyName: p12.commonNameOf(certificates[0]),
				});
				return asn1.base64(file);
				""", base64(key.getEncoded()), certificates, password);
		return Base64.getDecoder().decode(p12);
	}

	/** openssl pkcs12 -info without -legacy: must succeed and name the modern scheme. */
	private Result opensslReads(Path p12, String password) throws Exception {
		Result info = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "file:" + passwordFile(password),
				"-nodes", "-info", "-out", this.dir.resolve("info.pem").toString());
		assertThat(info.exit()).as(info.output()).isZero();
		assertThat(info.output()).contains("MAC: sha256", "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC",
				"PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC", "PRF hmacWithSHA256");
		return info;
	}

	/** The DER public key of the private key openssl takes out of the file. */
	private byte[] opensslPublicKey(Path p12, String password) throws Exception {
		Path key = this.dir.resolve("key.pem");
		Result out = run("openssl", "pkcs12", "-in", p12.toString(), "-passin", "file:" + passwordFile(password),
				"-nocerts", "-nodes", "-out", key.toString());
		assertThat(out.exit()).as(out.output()).isZero();
		Path pub = this.dir.resolve("pub.der");
		Result pkey = run("openssl", "pkey", "-in", key.toString(), "-pubout", "-outform", "DER", "-out",
				pub.toString());
		assertThat(pkey.exit()).as(pkey.output()).isZero();
		return Files.readAllBytes(pub);
	}

	private Path passwordFile(String password) throws IOException {
		return write("password.txt", password.getBytes(StandardCharsets.UTF_8));
	}

	private static void assertSignsForCertificate(PrivateKey key, X509Certificate certificate) throws Exception {
		String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
		byte[] data = "proof".getBytes(StandardCharsets.US_ASCII);
		Signature signer = Signature.getInstance(algorithm);
		signer.initSign(key);
		signer.update(data);
		byte[] signature = signer.sign();
		Signature verifier = Signature.getInstance(algorithm);
		verifier.initVerify(certificate.getPublicKey());
		verifier.update(data);
		assertThat(verifier.verify(signature)).as("the key in the file belongs to the certificate").isTrue();
	}

	private static X509Certificate certificate(String subject, KeyPair issuerKey, String issuer,
			SubjectPublicKeyInfo subjectKey, boolean ca) throws Exception {
		Instant now = Instant.now();
		X509v3CertificateBuilder builder = new X509v3CertificateBuilder(new X500Name(issuer),
				new BigInteger(64, new java.security.SecureRandom()).add(BigInteger.ONE),
				java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(Duration.ofDays(30))),
				new X500Name(subject), subjectKey);
		builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
		String algorithm = issuerKey.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
		byte[] der = new JcaX509CertificateConverter()
			.getCertificate(builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKey.getPrivate())))
			.getEncoded();
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(der));
	}

	/**
	 * Runs an async function body in the page with {@code args}; returns its value or
	 * fails with the JavaScript error.
	 */
	private static Object js(String body, Object... args) {
		String script = "const done = arguments[arguments.length - 1];"
				+ "const args = Array.prototype.slice.call(arguments, 0, arguments.length - 1);" + "(async () => {"
				+ body + "})().then((value) => done({ value: value === undefined ? null : value }),"
				+ " (e) => done({ error: String((e && e.stack) || e) }));";
		Object result = ((JavascriptExecutor) browser).executeAsyncScript(script, args);
		if (!(result instanceof Map<?, ?> map)) {
			throw new AssertionError("the page script returned " + result);
		}
		if (map.containsKey("error")) {
			fail("JavaScript failed: " + map.get("error"));
		}
		return map.get("value");
	}

	private static List<Object> jsList(String body, Object... args) {
		@SuppressWarnings("unchecked")
		List<Object> list = (List<Object>) js(body, args);
		return list;
	}

	private static List<Integer> toList(int[] values) {
		List<Integer> list = new ArrayList<>();
		for (int v : values) {
			list.add(v);
		}
		return list;
	}

	private Path write(String name, byte[] content) throws IOException {
		Path file = this.dir.resolve(name);
		Files.write(file, content);
		return file;
	}

	private static String base64(byte[] der) {
		return Base64.getEncoder().encodeToString(der);
	}

	private static String hex(ASN1Encodable value) throws IOException {
		return HexFormat.of().formatHex(value.toASN1Primitive().getEncoded("DER"));
	}

	private static Result run(String... command) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		byte[] output = process.getInputStream().readAllBytes();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			fail(command[0] + " did not finish");
		}
		return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
	}

	private record Result(int exit, String output) {
	}

}
