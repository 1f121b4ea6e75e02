package org.certflow.ca;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The key of a web server's own HTTPS certificate: made where the server runs (an RA
 * node), never the CA's key, and never shown to anyone but the PKCS#12 file the server
 * reads. It lives in this module because CertFlow keeps all private key handling here
 * (see ArchitectureTest); it holds no CA key and signs nothing but its own CSR.
 */
public final class TlsServerKeys {

	/** The key's alias in the PKCS#12 file. */
	public static final String ALIAS = "certflow-https";

	private final KeyPair keyPair;

	private final byte[] csrDer;

	private TlsServerKeys(KeyPair keyPair, byte[] csrDer) {
		this.keyPair = keyPair;
		this.csrDer = csrDer;
	}

	/**
	 * A fresh P-256 key and a CSR for it. The CSR's subject is the host name, though the
	 * CA builds the certificate's names from validated data only.
	 * @param hostName the server's host name
	 * @return the key and its CSR
	 */
	public static TlsServerKeys generate(String hostName) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair keyPair = generator.generateKeyPair();
			byte[] csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + hostName), keyPair.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()))
				.getEncoded();
			return new TlsServerKeys(keyPair, csr);
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new IllegalStateException("cannot make a key for the HTTPS certificate", ex);
		}
	}

	/**
	 * @return the DER PKCS#10 request for this key
	 */
	public byte[] csrDer() {
		return this.csrDer.clone();
	}

	/**
	 * Writes the key with its certificate chain into a PKCS#12 file, replacing any
	 * earlier one in one step (a server starting at the same time reads the old file or
	 * the new, never half of one).
	 * @param chain leaf first; the leaf must certify this key
	 * @param file the PKCS#12 file
	 * @param password its password
	 * @throws IllegalArgumentException when the leaf certifies another key
	 */
	public void store(List<X509Certificate> chain, Path file, char[] password) {
		if (chain.isEmpty()
				|| !Arrays.equals(chain.get(0).getPublicKey().getEncoded(), this.keyPair.getPublic().getEncoded())) {
			throw new IllegalArgumentException("the certificate does not certify the HTTPS key");
		}
		try {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(null, null);
			store.setKeyEntry(ALIAS, this.keyPair.getPrivate(), password, chain.toArray(new Certificate[0]));
			Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
			try {
				try (OutputStream out = Files.newOutputStream(temp)) {
					store.store(out, password);
				}
				Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			finally {
				Files.deleteIfExists(temp);
			}
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot write the HTTPS key store " + file, ex);
		}
	}

	/**
	 * Reads the certificate chain of a PKCS#12 file this class wrote.
	 * @param file the PKCS#12 file
	 * @param password its password
	 * @return the chain, leaf first; empty when the file holds no key of ours
	 * @throws IllegalStateException when the file cannot be read with this password
	 */
	public static List<X509Certificate> chainOf(Path file, char[] password) {
		try (InputStream in = Files.newInputStream(file)) {
			KeyStore store = KeyStore.getInstance("PKCS12");
			store.load(in, password);
			Certificate[] chain = store.getCertificateChain(ALIAS);
			if (chain == null || !store.isKeyEntry(ALIAS)) {
				return List.of();
			}
			List<X509Certificate> out = new ArrayList<>();
			for (Certificate c : chain) {
				out.add((X509Certificate) c);
			}
			return out;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("cannot read the HTTPS key store " + file, ex);
		}
	}

}
