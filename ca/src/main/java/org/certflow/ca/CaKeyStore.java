package org.certflow.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

import javax.security.auth.login.LoginException;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens the CA keys: a PKCS#12 file under {@code <dataDir>/ca} (created on first start)
 * or a PKCS#11 token. The JDK's PKCS12 store is used because since JDK 12 it protects
 * keys with PBES2/PBKDF2-HMAC-SHA256/AES-256 and MACs with HMAC-SHA256, which OpenSSL 3
 * reads without {@code -legacy}.
 */
final class CaKeyStore {

	static final String KEYSTORE_FILE = "ca.p12";

	static final String ROOT_ALIAS = "root";

	static final String ISSUING_ALIAS = "issuing";

	private static final Logger log = LoggerFactory.getLogger(CaKeyStore.class);

	private CaKeyStore() {
	}

	static CaKeys open(CaSettings settings, SecureRandom random) {
		return switch (settings.keyStorage()) {
			case PKCS12 -> openPkcs12(settings, random);
			case PKCS11 -> openPkcs11(settings);
		};
	}

	private static CaKeys openPkcs12(CaSettings settings, SecureRandom random) {
		Path file = settings.caDirectory().resolve(KEYSTORE_FILE);
		if (!Files.exists(file)) {
			create(settings, file, random);
		}
		char[] password = settings.keystorePassword();
		try {
			KeyStore ks = KeyStore.getInstance("PKCS12");
			try (InputStream in = Files.newInputStream(file)) {
				ks.load(in, password);
			}
			catch (IOException ex) {
				if (ex.getCause() instanceof UnrecoverableKeyException) {
					throw new CaConfigurationException("keystorePassword",
							"does not open " + file + " (wrong password)");
				}
				throw new CaConfigurationException("dataDir", "cannot read the CA key store " + file, ex);
			}
			if (!ks.isKeyEntry(ISSUING_ALIAS)) {
				throw new CaConfigurationException("dataDir",
						file + " has no '" + ISSUING_ALIAS + "' key entry; it is not a CertFlow CA key store");
			}
			Key key = ks.getKey(ISSUING_ALIAS, password);
			Certificate[] chain = ks.getCertificateChain(ISSUING_ALIAS);
			PrivateKey bcKey = new JcaPEMKeyConverter().setProvider(Bc.PROVIDER)
				.getPrivateKey(PrivateKeyInfo.getInstance(key.getEncoded()));
			CaKeys keys = checked(bcKey, Bc.PROVIDER, chain, "dataDir");
			if (!ks.isKeyEntry(ROOT_ALIAS)) {
				return keys;
			}
			PrivateKey rootKey = new JcaPEMKeyConverter().setProvider(Bc.PROVIDER)
				.getPrivateKey(PrivateKeyInfo.getInstance(ks.getKey(ROOT_ALIAS, password).getEncoded()));
			checkRootKey(rootKey, keys.rootCertificate(), file);
			return new CaKeys(bcKey, Bc.PROVIDER, keys.issuingCertificate(), keys.rootCertificate(), rootKey);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new CaConfigurationException("dataDir", "cannot open the CA key store " + file, ex);
		}
		finally {
			Arrays.fill(password, '\0');
		}
	}

	private static void create(CaSettings settings, Path file, SecureRandom random) {
		// Backdated so certificates issued in the first minutes can be backdated too.
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
		X500Name rootName = new X500Name(settings.rootSubject());
		X500Name issuingName = new X500Name(settings.issuingSubject());
		KeyPair rootKeys = CaCertificates.generateKeyPair(settings.rootKeyAlgorithm(), Bc.PROVIDER, random);
		KeyPair issuingKeys = CaCertificates.generateKeyPair(settings.issuingKeyAlgorithm(), Bc.PROVIDER, random);
		Instant rootEnd = now.plus(settings.rootValidity());
		X509Certificate root = CaCertificates.caCertificate(rootName, rootKeys.getPublic(), rootName,
				rootKeys.getPublic(), rootKeys.getPrivate(), Bc.PROVIDER, now, rootEnd, true, settings, random);
		Instant issuingEnd = now.plus(settings.issuingValidity());
		if (issuingEnd.isAfter(rootEnd)) {
			issuingEnd = rootEnd;
		}
		X509Certificate issuing = CaCertificates.caCertificate(issuingName, issuingKeys.getPublic(), rootName,
				rootKeys.getPublic(), rootKeys.getPrivate(), Bc.PROVIDER, now, issuingEnd, false, settings, random);
		char[] password = settings.keystorePassword();
		try {
			Files.createDirectories(file.getParent());
			KeyStore ks = KeyStore.getInstance("PKCS12");
			ks.load(null, null);
			ks.setKeyEntry(ROOT_ALIAS, rootKeys.getPrivate(), password, new Certificate[] { root });
			ks.setKeyEntry(ISSUING_ALIAS, issuingKeys.getPrivate(), password, new Certificate[] { issuing, root });
			Path tmp = file.resolveSibling(KEYSTORE_FILE + ".tmp");
			try (OutputStream out = Files.newOutputStream(tmp)) {
				ks.store(out, password);
			}
			if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
				Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
			}
			try {
				Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(tmp, file);
			}
			log.info("Created CA hierarchy in {}: root '{}' ({}), issuing '{}' ({})", file, settings.rootSubject(),
					settings.rootKeyAlgorithm(), settings.issuingSubject(), settings.issuingKeyAlgorithm());
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new CaConfigurationException("dataDir", "cannot write the CA key store " + file, ex);
		}
		finally {
			Arrays.fill(password, '\0');
		}
	}

	private static CaKeys openPkcs11(CaSettings settings) {
		Path config = settings.pkcs11Config().orElseThrow();
		Provider base = Security.getProvider("SunPKCS11");
		if (base == null) {
			throw new CaConfigurationException("keyStorage", "PKCS11 needs the JDK's SunPKCS11 provider");
		}
		Provider provider;
		try {
			provider = base.configure(config.toString());
		}
		catch (RuntimeException ex) {
			throw new CaConfigurationException("pkcs11Config", "SunPKCS11 rejects " + config, ex);
		}
		char[] pin = settings.keystorePassword();
		try {
			KeyStore ks = KeyStore.getInstance("PKCS11", provider);
			try {
				ks.load(null, pin);
			}
			catch (IOException ex) {
				if (ex.getCause() instanceof LoginException || ex.getCause() instanceof UnrecoverableKeyException) {
					throw new CaConfigurationException("keystorePassword", "the PKCS#11 token rejects the PIN");
				}
				throw new CaConfigurationException("pkcs11Config", "cannot open the PKCS#11 token of " + config, ex);
			}
			String alias = settings.pkcs11IssuingAlias();
			if (!ks.isKeyEntry(alias)) {
				throw new CaConfigurationException("pkcs11IssuingAlias",
						"the token has no private key with certificate under alias '" + alias + "'");
			}
			Key key = ks.getKey(alias, null);
			return checked((PrivateKey) key, provider, ks.getCertificateChain(alias), "pkcs11IssuingAlias");
		}
		catch (GeneralSecurityException ex) {
			throw new CaConfigurationException("pkcs11Config", "cannot use the PKCS#11 token of " + config, ex);
		}
		finally {
			Arrays.fill(pin, '\0');
		}
	}

	/**
	 * A root key that does not belong to the root certificate would sign CRLs nobody can
	 * verify; stop at start-up instead.
	 */
	private static void checkRootKey(PrivateKey rootKey, X509Certificate root, Path file) {
		byte[] probe = "certflow root key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		try {
			String algorithm = CaKeyAlgorithm.signatureAlgorithmFor(root.getPublicKey());
			java.security.Signature s = java.security.Signature.getInstance(algorithm, Bc.PROVIDER);
			s.initSign(rootKey);
			s.update(probe);
			byte[] signature = s.sign();
			java.security.Signature v = java.security.Signature.getInstance(algorithm, Bc.PROVIDER);
			v.initVerify(root.getPublicKey());
			v.update(probe);
			if (!v.verify(signature)) {
				throw new CaConfigurationException("dataDir",
						file + ": the '" + ROOT_ALIAS + "' key does not match the root CA certificate");
			}
		}
		catch (GeneralSecurityException ex) {
			throw new CaConfigurationException("dataDir", file + ": cannot check the '" + ROOT_ALIAS + "' key", ex);
		}
	}

	/**
	 * Refuses a key store whose chain is not issuing CA + self-signed root, or whose key
	 * does not belong to the issuing certificate: better to stop at start-up than to sign
	 * unverifiable certificates.
	 */
	private static CaKeys checked(PrivateKey key, Provider provider, Certificate[] chain, String setting) {
		if (chain == null || chain.length != 2) {
			throw new CaConfigurationException(setting,
					"the issuing key's certificate chain must be [issuing CA, root CA], found "
							+ ((chain != null) ? chain.length : 0) + " certificates");
		}
		X509Certificate issuing = (X509Certificate) chain[0];
		X509Certificate root = (X509Certificate) chain[1];
		try {
			root.verify(root.getPublicKey());
			issuing.verify(root.getPublicKey());
		}
		catch (GeneralSecurityException ex) {
			throw new CaConfigurationException(setting, "the CA certificate chain does not verify", ex);
		}
		CaKeys keys = new CaKeys(key, provider, issuing, root);
		byte[] probe = "certflow key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		try {
			java.security.Signature v = java.security.Signature.getInstance(keys.signatureAlgorithm(), Bc.PROVIDER);
			v.initVerify(issuing.getPublicKey());
			v.update(probe);
			if (!v.verify(keys.sign(probe))) {
				throw new CaConfigurationException(setting,
						"the issuing key does not match the issuing CA certificate");
			}
		}
		catch (GeneralSecurityException ex) {
			throw new CaConfigurationException(setting, "cannot check the issuing key", ex);
		}
		Instant notAfter = issuing.getNotAfter().toInstant();
		if (notAfter.isBefore(Instant.now().plus(Duration.ofDays(30)))) {
			log.warn("The issuing CA certificate '{}' expires at {}", issuing.getSubjectX500Principal(), notAfter);
		}
		return keys;
	}

}
