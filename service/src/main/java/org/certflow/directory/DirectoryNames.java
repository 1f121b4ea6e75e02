package org.certflow.directory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;

/**
 * Entry names from a DN template. A placeholder such as {@code {mail}} stands for a whole
 * attribute value; the value is put in attribute by attribute and escaped by the SDK, so
 * a name or mailbox with a comma, plus or quote can never change the DN's structure.
 */
final class DirectoryNames {

	private DirectoryNames() {
	}

	/**
	 * Fills a template.
	 * @param template such as {@code mail={mail},ou=people,dc=certflow,dc=local}
	 * @param values placeholder name (without braces) to value
	 * @return the DN
	 * @throws IllegalArgumentException when the template is not a DN
	 */
	static DN fill(String template, Map<String, String> values) {
		DN parsed = parse(template);
		List<RDN> filled = new ArrayList<>();
		for (RDN rdn : parsed.getRDNs()) {
			String[] names = rdn.getAttributeNames();
			String[] rdnValues = rdn.getAttributeValues();
			for (int i = 0; i < rdnValues.length; i++) {
				String placeholder = placeholder(rdnValues[i]);
				if (placeholder != null) {
					rdnValues[i] = values.get(placeholder);
				}
			}
			filled.add(new RDN(names, rdnValues));
		}
		return new DN(filled);
	}

	/**
	 * Refuses, at start-up, a template that is not a DN or uses an unknown placeholder.
	 * @param setting the setting's name, for the message
	 * @param template the template
	 * @param allowed placeholder names
	 */
	static void checkTemplate(String setting, String template, String... allowed) {
		DN parsed;
		try {
			parsed = parse(template);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(setting + " is not a DN: " + ex.getMessage(), ex);
		}
		boolean anyPlaceholder = false;
		for (RDN rdn : parsed.getRDNs()) {
			for (String value : rdn.getAttributeValues()) {
				String placeholder = placeholder(value);
				if (placeholder != null && !List.of(allowed).contains(placeholder)) {
					throw new IllegalArgumentException(setting + " uses {" + placeholder + "}; it may use only "
							+ String.join(", ", List.of(allowed).stream().map((p) -> "{" + p + "}").toList()));
				}
				if (placeholder == null && (value.contains("{") || value.contains("}"))) {
					throw new IllegalArgumentException(
							setting + ": a placeholder must be a whole attribute value, such as mail={mail}, not '"
									+ value + "'");
				}
				anyPlaceholder |= placeholder != null;
			}
		}
		if (!anyPlaceholder || placeholder(parsed.getRDN().getAttributeValues()[0]) == null) {
			throw new IllegalArgumentException(setting + " must name each entry by a placeholder in its first RDN, "
					+ "such as " + allowed[0] + "={" + allowed[0] + "}");
		}
	}

	private static DN parse(String template) {
		try {
			return new DN(template);
		}
		catch (LDAPException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
	}

	private static String placeholder(String value) {
		return (value.length() > 2 && value.startsWith("{") && value.endsWith("}"))
				? value.substring(1, value.length() - 1) : null;
	}

}
