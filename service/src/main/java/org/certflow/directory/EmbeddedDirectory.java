package org.certflow.directory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.RDN;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The embedded default's directory: an in-memory LDAP server (UnboundID) on the loopback
 * interface, base {@code certflow.directory.base-dn}. Anyone on this machine may search
 * it anonymously, as mail clients do; adding, changing and deleting needs the configured
 * bind DN. Its content lives as long as the process: after a restart the first sync
 * ({@link SyncDirectory}) writes the CA entries and every certificate the records show as
 * published again. Production uses a real directory.
 */
@Component
@ConditionalOnProperty(name = "certflow.directory.embedded.enabled", havingValue = "true", matchIfMissing = true)
public class EmbeddedDirectory {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedDirectory.class);

	private final InMemoryDirectoryServer server;

	private final int configuredPort;

	EmbeddedDirectory(DirectorySettings settings) throws LDAPException {
		this.configuredPort = settings.embedded().port();
		InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(settings.baseDn());
		config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(),
				this.configuredPort, null));
		if (settings.bindDn() == null || settings.bindDn().isBlank() || settings.bindPassword() == null
				|| settings.bindPassword().isEmpty()) {
			throw new IllegalStateException("The embedded directory needs certflow.directory.bind-dn and "
					+ "certflow.directory.bind-password: the only account that may write to it");
		}
		config.addAdditionalBindCredentials(settings.bindDn(), settings.bindPassword());
		// Reads stay anonymous (mail clients search without an account); every write
		// needs a bind, and the only account the server knows is CertFlow's.
		config.setAuthenticationRequiredOperationTypes(
				EnumSet.of(OperationType.ADD, OperationType.DELETE, OperationType.MODIFY, OperationType.MODIFY_DN));
		this.server = new InMemoryDirectoryServer(config);
		for (Entry container : containers(settings)) {
			this.server.add(container);
		}
		this.server.startListening();
		log.info("Embedded LDAP directory at ldap://localhost:{}/{} (anonymous read)", port(), settings.baseDn());
	}

	/**
	 * @return the port it listens on now
	 */
	public int port() {
		return this.server.getListenPort();
	}

	/**
	 * Stops answering, as during an outage; what it holds is kept.
	 */
	public void stopListening() {
		this.server.shutDown(false);
	}

	/**
	 * Answers again, on the configured port (a new free one when that is 0).
	 * @throws LDAPException when the port cannot be bound
	 */
	public void startListening() throws LDAPException {
		this.server.startListening();
	}

	@PreDestroy
	void stop() {
		this.server.shutDown(true);
	}

	/**
	 * The base entry and every container between it and the entries CertFlow creates
	 * ({@code ou=people}, {@code ou=ca} by default), so that publishing only ever adds
	 * leaf entries.
	 */
	static List<Entry> containers(DirectorySettings settings) throws LDAPException {
		DN base = new DN(settings.baseDn());
		List<DN> wanted = new ArrayList<>();
		wanted.add(base);
		for (String template : List.of(settings.holderDnTemplate(), settings.caDnTemplate())) {
			DN parent = DirectoryNames.fill(template, Map.of("mail", "x@example.org", "cn", "x")).getParent();
			List<DN> chain = new ArrayList<>();
			for (DN dn = parent; dn != null && dn.isDescendantOf(base, false); dn = dn.getParent()) {
				chain.add(0, dn);
			}
			for (DN dn : chain) {
				if (!wanted.contains(dn)) {
					wanted.add(dn);
				}
			}
		}
		List<Entry> entries = new ArrayList<>();
		for (DN dn : wanted) {
			entries.add(container(dn));
		}
		return entries;
	}

	private static Entry container(DN dn) {
		RDN rdn = dn.getRDN();
		String attribute = rdn.getAttributeNames()[0].toLowerCase(Locale.ROOT);
		String objectClass = switch (attribute) {
			case "dc" -> "domain";
			case "o" -> "organization";
			case "ou" -> "organizationalUnit";
			default -> throw new IllegalStateException("The embedded directory makes containers named dc=, o= or "
					+ "ou= only, not " + dn + " (certflow.directory.base-dn and the DN templates)");
		};
		Entry entry = new Entry(dn);
		entry.addAttribute("objectClass", "top", objectClass);
		entry.addAttribute(rdn.getAttributeNames()[0], rdn.getAttributeValues()[0]);
		return entry;
	}

}
