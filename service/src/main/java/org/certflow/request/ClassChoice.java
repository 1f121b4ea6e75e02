package org.certflow.request;

/**
 * The class a new request (invitation or request on a user's behalf) asks for: it must
 * exist and must not be retired. Requests made earlier keep their class whatever happens
 * to it.
 */
final class ClassChoice {

	private ClassChoice() {
	}

	static CertificateClass forNewRequest(CertificateClasses classes, String name) {
		if (name == null || name.isBlank()) {
			throw new RequestException(RequestException.Kind.INVALID, "certificateClass is required.");
		}
		CertificateClass cls = classes.findById(name)
			.orElseThrow(() -> new RequestException(RequestException.Kind.INVALID,
					"Unknown certificate class '" + name + "'. Known classes: " + openClasses(classes) + "."));
		if (cls.getRetiredAt() != null) {
			throw new RequestException(RequestException.Kind.REFUSED, "Certificate class '" + name + "' was retired at "
					+ cls.getRetiredAt() + " and takes no new requests. Choose one of " + openClasses(classes) + ".");
		}
		return cls;
	}

	private static java.util.List<String> openClasses(CertificateClasses classes) {
		return classes.findAll()
			.stream()
			.filter((c) -> c.getRetiredAt() == null)
			.map(CertificateClass::getName)
			.sorted()
			.toList();
	}

}
