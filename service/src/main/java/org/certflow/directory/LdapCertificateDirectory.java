package org.certflow.directory;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.TrustManager;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * The certificate directory over LDAP v3 (UnboundID LDAP SDK): the embedded in-memory
 * server, or any directory server reached with {@code ldaps://} or StartTLS. Each call
 * opens its own short connection, binds as {@code bind-dn} and closes again, so a
 * directory that was restarted meanwhile is simply reached anew.
 * <p>
 * Certificates travel with the {@code ;binary} transfer option (RFC 4523), as OpenLDAP
 * requires for these attributes.
 */
@Component
class LdapCertificateDirectory implements CertificateDirectory {

	static final String USER_CERTIFICATE = "userCertificate;binary";

	static final String CA_CERTIFICATE = "cACertificate;binary";

	static final String CRL = "certificateRevocationList;binary";

	private final DirectorySettings settings;

	private final ObjectProvider<EmbeddedDirectory> embedded;

	LdapCertificateDirectory(DirectorySettings settings, ObjectProvider<EmbeddedDirectory> embedded) {
		this.settings = settings;
		this.embedded = embedded;
	}

	@Override
	public String publish(Holder holder, byte[] certificateDer) {
		DN dn = DirectoryNames.fill(this.settings.holderDnTemplate(),
				Map.of("mail", holder.email(), "cn", holder.fullName()));
		try (LDAPConnection connection = connect()) {
			Entry existing = connection.getEntry(dn.toString(), USER_CERTIFICATE);
			if (existing == null) {
				try {
					connection.add(holderEntry(dn, holder, certificateDer));
					return dn.toString();
				}
				catch (LDAPException ex) {
					// Made meanwhile by another node or an earlier attempt: add the value
					// below.
					if (ex.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
						throw ex;
					}
					existing = connection.getEntry(dn.toString(), USER_CERTIFICATE);
				}
			}
			if (existing != null && holds(existing, "userCertificate", certificateDer)) {
				return dn.toString();
			}
			try {
				connection.modify(dn.toString(),
						new Modification(ModificationType.ADD, USER_CERTIFICATE, certificateDer));
			}
			catch (LDAPException ex) {
				if (ex.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
					throw ex;
				}
			}
			return dn.toString();
		}
		catch (LDAPException ex) {
			throw unavailable("publish the certificate to " + dn, ex);
		}
	}

	@Override
	public void withdraw(String entryDn, byte[] certificateDer) {
		try (LDAPConnection connection = connect()) {
			connection.modify(entryDn, new Modification(ModificationType.DELETE, USER_CERTIFICATE, certificateDer));
		}
		catch (LDAPException ex) {
			if (ex.getResultCode() == ResultCode.NO_SUCH_OBJECT || ex.getResultCode() == ResultCode.NO_SUCH_ATTRIBUTE) {
				return;
			}
			throw unavailable("remove the certificate from " + entryDn, ex);
		}
	}

	@Override
	public String publishCa(CaMaterial ca) {
		DN dn = DirectoryNames.fill(this.settings.caDnTemplate(), Map.of("cn", ca.commonName()));
		try (LDAPConnection connection = connect()) {
			Entry existing = connection.getEntry(dn.toString(), "1.1");
			if (existing == null) {
				try {
					connection.add(caEntry(dn, ca));
					return dn.toString();
				}
				catch (LDAPException ex) {
					if (ex.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
						throw ex;
					}
				}
			}
			List<Modification> changes = new ArrayList<>();
			changes.add(new Modification(ModificationType.REPLACE, CA_CERTIFICATE, ca.certificateDer()));
			if (ca.crlDer() != null) {
				changes.add(new Modification(ModificationType.REPLACE, CRL, ca.crlDer()));
			}
			connection.modify(dn.toString(), changes);
			return dn.toString();
		}
		catch (LDAPException ex) {
			throw unavailable("publish the CA certificate and CRL to " + dn, ex);
		}
	}

	private Entry holderEntry(DN dn, Holder holder, byte[] certificateDer) {
		Entry entry = new Entry(dn);
		entry.addAttribute("objectClass", this.settings.holderObjectClasses());
		entry.addAttribute("cn", holder.fullName());
		entry.addAttribute("sn", surname(holder.fullName()));
		entry.addAttribute("mail", holder.email());
		namingValues(entry, dn.getRDN());
		entry.addAttribute(USER_CERTIFICATE, certificateDer);
		return entry;
	}

	private Entry caEntry(DN dn, CaMaterial ca) {
		Entry entry = new Entry(dn);
		entry.addAttribute("objectClass", this.settings.caObjectClasses());
		namingValues(entry, dn.getRDN());
		entry.addAttribute(CA_CERTIFICATE, ca.certificateDer());
		if (ca.crlDer() != null) {
			entry.addAttribute(CRL, ca.crlDer());
		}
		return entry;
	}

	/** An entry must hold the values its RDN names it by. */
	private static void namingValues(Entry entry, RDN rdn) {
		String[] names = rdn.getAttributeNames();
		String[] values = rdn.getAttributeValues();
		for (int i = 0; i < names.length; i++) {
			entry.addAttribute(names[i], values[i]);
		}
	}

	/** inetOrgPerson needs a surname; the last word of the name is the usual one. */
	static String surname(String fullName) {
		String trimmed = fullName.strip();
		int space = trimmed.lastIndexOf(' ');
		return (space < 0) ? trimmed : trimmed.substring(space + 1);
	}

	private static boolean holds(Entry entry, String baseName, byte[] value) {
		for (Attribute attribute : entry.getAttributes()) {
			if (attribute.getBaseName().equalsIgnoreCase(baseName)) {
				for (byte[] held : attribute.getValueByteArrays()) {
					if (Arrays.equals(held, value)) {
						return true;
					}
				}
			}
		}
		return false;
	}

	/**
	 * A connection bound as {@code bind-dn}: to the embedded directory while it runs,
	 * otherwise to {@code url}, encrypted with ldaps:// or StartTLS before the password
	 * is sent when so configured.
	 */
	LDAPConnection connect() throws LDAPException {
		LDAPConnectionOptions options = new LDAPConnectionOptions();
		options.setConnectTimeoutMillis((int) this.settings.connectTimeout().toMillis());
		options.setResponseTimeoutMillis(this.settings.responseTimeout().toMillis());
		options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
		EmbeddedDirectory local = this.embedded.getIfAvailable();
		LDAPConnection connection;
		if (local != null) {
			int port = local.port();
			if (port <= 0) {
				throw new LDAPException(ResultCode.CONNECT_ERROR, "it is not listening");
			}
			connection = new LDAPConnection(options, "127.0.0.1", port);
		}
		else {
			LDAPURL url = new LDAPURL(this.settings.url());
			if ("ldaps".equals(url.getScheme().toLowerCase(Locale.ROOT))) {
				try {
					connection = new LDAPConnection(tls().createSSLSocketFactory(), options, url.getHost(),
							url.getPort());
				}
				catch (GeneralSecurityException ex) {
					throw new LDAPException(ResultCode.LOCAL_ERROR, "TLS set-up failed: " + ex.getMessage(), ex);
				}
			}
			else {
				connection = new LDAPConnection(options, url.getHost(), url.getPort());
				if (this.settings.startTls()) {
					startTls(connection);
				}
			}
		}
		try {
			if (this.settings.bindDn() != null && !this.settings.bindDn().isBlank()) {
				connection.bind(this.settings.bindDn(), this.settings.bindPassword());
			}
			return connection;
		}
		catch (LDAPException ex) {
			connection.close();
			throw ex;
		}
	}

	private void startTls(LDAPConnection connection) throws LDAPException {
		try {
			ExtendedResult result = connection
				.processExtendedOperation(new StartTLSExtendedRequest(tls().createSSLContext()));
			if (result.getResultCode() != ResultCode.SUCCESS) {
				throw new LDAPException(result.getResultCode(),
						"the server refused StartTLS: " + result.getDiagnosticMessage());
			}
		}
		catch (GeneralSecurityException ex) {
			connection.close();
			throw new LDAPException(ResultCode.LOCAL_ERROR, "TLS set-up failed: " + ex.getMessage(), ex);
		}
		catch (LDAPException ex) {
			connection.close();
			throw ex;
		}
	}

	private SSLUtil tls() throws GeneralSecurityException {
		TrustManager trust = (this.settings.trustCertificates() != null)
				? new PEMFileTrustManager(this.settings.trustCertificates().toFile())
				: JVMDefaultTrustManager.getInstance();
		return new SSLUtil(trust);
	}

	private DirectoryUnavailableException unavailable(String what, LDAPException ex) {
		String where = (this.embedded.getIfAvailable() != null) ? "the embedded directory" : this.settings.url();
		return new DirectoryUnavailableException(
				"Could not " + what + " at " + where + ": " + ex.getResultCode().getName() + " ("
						+ ((ex.getDiagnosticMessage() != null) ? ex.getDiagnosticMessage() : ex.getMessage()) + ")",
				ex);
	}

}
