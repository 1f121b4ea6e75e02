package org.certflow.directory;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import org.certflow.directory.CertificateDirectory.CaMaterial;
import org.certflow.directory.CertificateDirectory.Holder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.certflow.directory.DirectoryFixtures.BASE;

/**
 * The LDAP adapter against a real OpenLDAP: a throwaway slapd with a generated
 * configuration on a free loopback port, checked with OpenLDAP's own ldapsearch. Runs
 * where slapd is installed; where CI or CERTFLOW_REQUIRE_TOOLS is true (.ci/run installs
 * slapd and ldap-utils) a missing slapd fails the test instead of skipping it.
 */
class OpenLdapDirectoryTest {

	private static final String ROOT_DN = "cn=admin," + BASE;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

	@TempDir
	Path dir;

	private Process slapd;

	private int port;

	private LdapCertificateDirectory directory;

	@BeforeEach
	void startSlapd() throws Exception {
		String slapdPath = require("slapd");
		require("ldapsearch");
		String rootPassword = "slapd-" + System.nanoTime();
		Path data = Files.createDirectories(this.dir.resolve("data"));
		Path config = this.dir.resolve("slapd.conf");
		Files.writeString(config,
				String.join("\n", "include /etc/ldap/schema/core.schema", "include /etc/ldap/schema/cosine.schema",
						"include /etc/ldap/schema/inetorgperson.schema", "pidfile " + this.dir.resolve("slapd.pid"),
						"argsfile " + this.dir.resolve("slapd.args"), "modulepath /usr/lib/ldap", "moduleload back_mdb",
						// Anyone reads, as mail clients do; only the configured account
						// writes.
						"access to * by dn.exact=\"" + ROOT_DN + "\" write by * read", "database mdb",
						"maxsize 10485760", "suffix \"" + BASE + "\"", "rootdn \"" + ROOT_DN + "\"",
						"rootpw " + rootPassword, "directory " + data, ""),
				StandardCharsets.US_ASCII);
		this.port = freePort();
		this.slapd = new ProcessBuilder(slapdPath, "-f", config.toString(), "-h", "ldap://127.0.0.1:" + this.port + "/",
				"-d", "0")
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("slapd.log").toFile())
			.start();
		DirectorySettings settings = DirectoryFixtures.settings("ldap://127.0.0.1:" + this.port, false, ROOT_DN,
				rootPassword, false);
		awaitSlapd();
		// The containers an administrator makes once; CertFlow adds only leaf entries.
		try (LDAPConnection admin = new LDAPConnection("127.0.0.1", this.port, ROOT_DN, rootPassword)) {
			admin.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: certflow");
			admin.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
			admin.add("dn: ou=ca," + BASE, "objectClass: organizationalUnit", "ou: ca");
		}
		this.directory = DirectoryFixtures.directory(settings, null);
	}

	@AfterEach
	void stopSlapd() throws InterruptedException {
		if (this.slapd != null) {
			this.slapd.destroy();
			if (!this.slapd.waitFor(10, TimeUnit.SECONDS)) {
				this.slapd.destroyForcibly();
			}
		}
	}

	@Test
	void publishedCertificateIsFoundWithLdapsearchOnceAndIsGoneAfterRemoval() throws Exception {
		byte[] certificate = DirectoryFixtures.certificate("CN=Ada Lovelace");
		Holder ada = new Holder("ada@example.org", "Ada Lovelace");

		String dn = this.directory.publish(ada, certificate);
		this.directory.publish(ada, certificate);

		String found = ldapsearch("ou=people," + BASE, "(mail=ada@example.org)", "userCertificate;binary", "cn", "sn");
		assertThat(found).contains("dn: " + dn, "cn: Ada Lovelace", "sn: Lovelace");
		assertThat(certificateLines(found))
			.containsExactly("userCertificate;binary:: " + Base64.getEncoder().encodeToString(certificate));

		this.directory.withdraw(dn, certificate);
		this.directory.withdraw(dn, certificate);
		String after = ldapsearch("ou=people," + BASE, "(mail=ada@example.org)", "userCertificate;binary");
		assertThat(after).contains("dn: " + dn);
		assertThat(certificateLines(after)).isEmpty();
	}

	@Test
	void theCaEntryHoldsTheCaCertificateAndTheNewestCrl() throws Exception {
		byte[] ca = DirectoryFixtures.certificate("CN=CertFlow Issuing CA");
		byte[] crl = DirectoryFixtures.crl("CN=CertFlow Issuing CA");
		byte[] next = DirectoryFixtures.crl("CN=CertFlow Issuing CA");
		this.directory.publishCa(new CaMaterial("CertFlow Issuing CA", ca, crl));
		this.directory.publishCa(new CaMaterial("CertFlow Issuing CA", ca, next));

		String found = ldapsearch("ou=ca," + BASE, "(objectClass=pkiCA)", "cACertificate;binary",
				"certificateRevocationList;binary");
		assertThat(found).contains("dn: cn=CertFlow Issuing CA,ou=ca," + BASE,
				"cACertificate;binary:: " + Base64.getEncoder().encodeToString(ca),
				"certificateRevocationList;binary:: " + Base64.getEncoder().encodeToString(next));
		assertThat(found).doesNotContain(Base64.getEncoder().encodeToString(crl));
	}

	@Test
	void anonymousWritesAreRefusedByOpenLdapToo() throws Exception {
		try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", this.port)) {
			assertThatThrownBy(() -> anonymous.add("dn: mail=mallory@example.org,ou=people," + BASE,
					"objectClass: inetOrgPerson", "cn: Mallory", "sn: Mallory"))
				.isInstanceOf(LDAPException.class);
		}
		assertThat(ldapsearch("ou=people," + BASE, "(mail=mallory@example.org)", "cn")).doesNotContain("Mallory");
	}

	private String ldapsearch(String base, String filter, String... attributes) throws Exception {
		List<String> command = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no", "-H",
				"ldap://127.0.0.1:" + this.port, "-b", base, filter));
		command.addAll(Arrays.asList(attributes));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(out).isZero();
		return out;
	}

	private static List<String> certificateLines(String ldif) {
		return ldif.lines().filter((line) -> line.startsWith("userCertificate")).toList();
	}

	private void awaitSlapd() throws Exception {
		Instant deadline = Instant.now().plus(START_TIMEOUT);
		while (true) {
			try (LDAPConnection probe = new LDAPConnection("127.0.0.1", this.port)) {
				return;
			}
			catch (LDAPException ex) {
				if (!this.slapd.isAlive() || Instant.now().isAfter(deadline)) {
					throw new IllegalStateException("slapd did not start:\n"
							+ Files.readString(this.dir.resolve("slapd.log"), StandardCharsets.UTF_8), ex);
				}
				Thread.sleep(100);
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The tool's path; skips the test without it, or fails it where the tools are
	 * required (as {@code it/Tools} does for the other external checkers).
	 */
	private static String require(String tool) {
		String path = System.getenv("PATH");
		List<String> dirs = new ArrayList<>((path != null) ? Arrays.asList(path.split(File.pathSeparator)) : List.of());
		// slapd lives in /usr/sbin, which a user's PATH often lacks.
		dirs.addAll(List.of("/usr/sbin", "/usr/bin"));
		for (String dir : dirs) {
			Path candidate = Path.of(dir, tool);
			if (Files.isExecutable(candidate)) {
				return candidate.toString();
			}
		}
		if ("true".equals(System.getenv("CI")) || "true".equals(System.getenv("CERTFLOW_REQUIRE_TOOLS"))) {
			throw new AssertionError(tool + " is required here (CI or CERTFLOW_REQUIRE_TOOLS is true) but is not "
					+ "installed; .ci/run installs slapd and ldap-utils");
		}
		Assumptions.abort(tool + " is not installed (apt-get install slapd ldap-utils); CI runs this test");
		return null;
	}

}
