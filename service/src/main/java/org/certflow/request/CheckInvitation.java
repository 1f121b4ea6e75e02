package org.certflow.request;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * In-port: checks an invitation field by field before it is sent, so that a form can show
 * every problem beside its field at once. The messages are those of
 * {@link InviteApplicant}, which the API answers with, and which checks again.
 */
@Service
public class CheckInvitation {

	/** Field names, as the API's JSON and the console's form spell them. */
	public static final String EMAIL = "email";

	public static final String FULL_NAME = "fullName";

	public static final String CERTIFICATE_CLASS = "certificateClass";

	private final CertificateClasses classes;

	CheckInvitation(CertificateClasses classes) {
		this.classes = classes;
	}

	/**
	 * @return the classes an invitation may name today (not retired), by name
	 */
	@Transactional(readOnly = true)
	public List<CertificateClass> openClasses() {
		return this.classes.findAll()
			.stream()
			.filter((cls) -> cls.getRetiredAt() == null)
			.sorted(Comparator.comparing(CertificateClass::getName))
			.toList();
	}

	/**
	 * @param email the applicant's mailbox
	 * @param fullName the applicant's name
	 * @param certificateClass the class's name
	 * @return what is wrong, by field; empty when the invitation may be sent
	 */
	@Transactional(readOnly = true)
	public Map<String, String> problems(String email, String fullName, String certificateClass) {
		Map<String, String> problems = new LinkedHashMap<>();
		try {
			ApplicantData.email(email);
		}
		catch (RequestException ex) {
			problems.put(EMAIL, ex.getMessage());
		}
		try {
			ApplicantData.fullName(fullName);
		}
		catch (RequestException ex) {
			problems.put(FULL_NAME, ex.getMessage());
		}
		if (certificateClass == null || certificateClass.isBlank()) {
			problems.put(CERTIFICATE_CLASS, "certificateClass is required.");
		}
		else {
			CertificateClass cls = this.classes.findById(certificateClass).orElse(null);
			if (cls == null) {
				problems.put(CERTIFICATE_CLASS, "Unknown certificate class '" + certificateClass + "'. Known classes: "
						+ this.classes.findAll().stream().map(CertificateClass::getName).sorted().toList() + ".");
			}
			else if (cls.getRetiredAt() != null) {
				problems.put(CERTIFICATE_CLASS, "Certificate class '" + certificateClass
						+ "' is retired and takes no new requests. Choose another class.");
			}
		}
		return problems;
	}

}
