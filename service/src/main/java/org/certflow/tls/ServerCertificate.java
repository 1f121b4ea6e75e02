package org.certflow.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.List;

import org.certflow.ca.TlsServerKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS key and certificate under {@code <data-dir>/tls}: a PKCS#12 file
 * ({@code server.p12}) and its password in a file only the owner may read
 * ({@code keystore-password}), both made on first start, and the root they chain to
 * ({@code root.pem}) for clients to trust. A certificate that names the configured host
 * and stays valid for more than {@link #RENEW_BEFORE} is used again; any other gets a new
 * key and a new certificate.
 */
public final class ServerCertificate {

	/** A certificate that expires sooner than this is replaced at start-up. */
	public static final Duration RENEW_BEFORE = Duration.ofDays(30);

	static final String KEY_STORE = "server.p12";

	static final String PASSWORD_FILE = "keystore-password";

	/** The demo root in PEM, for clients to trust. */
	public static final String ROOT_PEM = "root.pem";

	private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);

	private final Path directory;

	private final String hostName;

	private final Clock clock;

	/**
	 * @param dataDir CertFlow's data folder
	 * @param hostName the host name the certificate must name
	 * @param clock the clock
	 */
	public ServerCertificate(Path dataDir, String hostName, Clock clock) {
		this.directory = dataDir.resolve("tls").toAbsolutePath();
		this.hostName = hostName;
		this.clock = clock;
	}

	/**
	 * A key store with a current certificate, issued now when there is none.
	 * @param issuer reaches the CA
	 * @return the key store
	 */
	public KeyStoreFile ensure(ServerCertificateIssuer issuer) {
		try {
			Files.createDirectories(this.directory);
			ownerOnly(this.directory, "rwx------");
			char[] password = password();
			Path file = this.directory.resolve(KEY_STORE);
			if (Files.exists(file)) {
				List<X509Certificate> chain = readable(file, password);
				if (current(chain)) {
					log.info("HTTPS certificate for {} reused from {} (serial {}, valid until {})", this.hostName, file,
							chain.get(0).getSerialNumber().toString(16), chain.get(0).getNotAfter().toInstant());
					writeRoot(chain);
					return new KeyStoreFile(file, password, chain);
				}
			}
			// A new key for every certificate: a renewal never extends an old key's life.
			TlsServerKeys keys = TlsServerKeys.generate(this.hostName);
			List<X509Certificate> chain = issuer.issue(keys.csrDer(), this.hostName);
			keys.store(chain, file, password);
			ownerOnly(file, "rw-------");
			writeRoot(chain);
			log.info("HTTPS certificate for {} issued into {} (serial {}, valid until {})", this.hostName, file,
					chain.get(0).getSerialNumber().toString(16), chain.get(0).getNotAfter().toInstant());
			return new KeyStoreFile(file, password, chain);
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot keep the HTTPS key store in " + this.directory, ex);
		}
	}

	/**
	 * The root the certificate chains to, in PEM, for clients to trust (README, "Trust
	 * the demo root"): the same certificate as the last one of {@code /ca/chain.pem}.
	 */
	private void writeRoot(List<X509Certificate> chain) throws IOException {
		try {
			String pem = "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' })
				.encodeToString(chain.get(chain.size() - 1).getEncoded()) + "\n-----END CERTIFICATE-----\n";
			Path root = this.directory.resolve(ROOT_PEM);
			if (!Files.exists(root) || !Files.readString(root, StandardCharsets.US_ASCII).equals(pem)) {
				Files.writeString(root, pem, StandardCharsets.US_ASCII);
			}
		}
		catch (java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException("cannot encode the root certificate", ex);
		}
	}

	private List<X509Certificate> readable(Path file, char[] password) {
		try {
			return TlsServerKeys.chainOf(file, password);
		}
		catch (IllegalStateException ex) {
			log.warn("{} cannot be read ({}); a new HTTPS key and certificate replace it", file, ex.getMessage());
			return List.of();
		}
	}

	/** Whether the stored certificate still serves: this host, valid now and a while. */
	private boolean current(List<X509Certificate> chain) {
		if (chain.isEmpty()) {
			return false;
		}
		X509Certificate leaf = chain.get(0);
		Instant now = this.clock.instant();
		if (leaf.getNotBefore().toInstant().isAfter(now)
				|| leaf.getNotAfter().toInstant().isBefore(now.plus(RENEW_BEFORE))) {
			log.info("The HTTPS certificate expires on {}; it is replaced", leaf.getNotAfter().toInstant());
			return false;
		}
		if (!namesHost(leaf)) {
			log.info("The HTTPS certificate does not name {}; it is replaced", this.hostName);
			return false;
		}
		return true;
	}

	private boolean namesHost(X509Certificate leaf) {
		try {
			Collection<List<?>> names = leaf.getSubjectAlternativeNames();
			return names != null && names.stream()
				.anyMatch((n) -> Integer.valueOf(2).equals(n.get(0)) && this.hostName.equals(n.get(1)));
		}
		catch (CertificateParsingException ex) {
			return false;
		}
	}

	/**
	 * The key store's password: drawn once, kept in a file only the owner may read, and
	 * never logged.
	 */
	private char[] password() throws IOException {
		Path file = this.directory.resolve(PASSWORD_FILE);
		if (!Files.exists(file)) {
			byte[] random = new byte[32];
			new SecureRandom().nextBytes(random);
			String drawn = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			Path temp = this.directory.resolve(PASSWORD_FILE + ".new");
			Files.deleteIfExists(temp);
			if (posix(this.directory)) {
				Files.createFile(temp,
						PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			}
			else {
				Files.createFile(temp);
			}
			Files.writeString(temp, drawn, StandardCharsets.US_ASCII);
			try {
				Files.move(temp, file);
			}
			catch (FileAlreadyExistsException ex) {
				Files.delete(temp);
			}
		}
		ownerOnly(file, "rw-------");
		String password = Files.readString(file, StandardCharsets.US_ASCII).strip();
		if (password.isEmpty()) {
			throw new IllegalStateException(file + " is empty; delete it and " + KEY_STORE + " to start afresh");
		}
		return password.toCharArray();
	}

	private static boolean posix(Path path) {
		return Files.getFileAttributeView(path, PosixFileAttributeView.class) != null;
	}

	private static void ownerOnly(Path path, String permissions) throws IOException {
		if (posix(path)) {
			Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
		}
	}

	/**
	 * The key store the HTTPS listener reads.
	 *
	 * @param file the PKCS#12 file
	 * @param password its password
	 * @param chain the certificate chain in it, leaf first
	 */
	public record KeyStoreFile(Path file, char[] password, List<X509Certificate> chain) {

		@Override
		public String toString() {
			return "KeyStoreFile[file=" + this.file + ", password=(hidden)]";
		}

	}

}
