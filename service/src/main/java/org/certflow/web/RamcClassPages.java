package org.certflow.web;

import java.security.Principal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpSession;

import org.certflow.request.CertificateClass;
import org.certflow.request.ManageClasses;
import org.certflow.request.RequestException;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Controller;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's certificate classes: list, create, edit, retire. Every rule and message
 * comes from {@link ManageClasses}, the same as the API's; this class only turns form
 * fields into its input and its refusals into messages beside the fields. Edits carry the
 * version they were based on, so a change saved by someone else meanwhile is shown, not
 * overwritten. Every form has a CSRF token (security chain) and a one-time
 * {@link FormTokens} token, and answers a success with a redirect (post/redirect/get).
 */
@Controller
@RequestMapping("/ramc/classes")
class RamcClassPages {

	private static final String LIST = "redirect:/ramc/classes";

	/** The fields of {@link ManageClasses.Input}: its messages start with their name. */
	private static final Set<String> FIELDS = Set.of("name", "displayName", "description", "issuanceProfile",
			"issueImmediately", "allowedDomains", "phoneRequired", "pinRequired", "keySources", "keyAlgorithms",
			"validityDays", "distributionMethods", "defaultDistribution", "billingCode", "escalationAfter");

	private static final Pattern LEADING_WORD = Pattern.compile("[A-Za-z]+");

	private static final Pattern LIST_SEPARATORS = Pattern.compile("[,\\s]+");

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ENGLISH)
		.withZone(ZoneOffset.UTC);

	private final ManageClasses manageClasses;

	RamcClassPages(ManageClasses manageClasses) {
		this.manageClasses = manageClasses;
	}

	@GetMapping
	ModelAndView list(Principal user) {
		return listPage(user);
	}

	@GetMapping("/new")
	ModelAndView newForm(HttpSession session, Principal user) {
		return formPage(FormTokens.of(session).issue(), user, null, ClassForm.blank(), Map.of());
	}

	@GetMapping("/{name}/edit")
	ModelAndView editForm(@PathVariable String name, HttpSession session, Principal user) {
		CertificateClass cls;
		try {
			cls = this.manageClasses.get(name);
		}
		catch (RequestException ex) {
			return notFound(user, ex);
		}
		return formPage(FormTokens.of(session).issue(), user, name, ClassForm.of(cls), Map.of());
	}

	@PostMapping(consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView create(@RequestParam MultiValueMap<String, String> params, HttpSession session, Principal user,
			RedirectAttributes redirect) {
		ClassForm form = ClassForm.from(params);
		String formToken = params.getFirst("formToken");
		FormTokens tokens = FormTokens.of(session);
		FormTokens.Claim claim = tokens.claim(formToken);
		if (claim.outcome() != FormTokens.Outcome.CLAIMED) {
			return unclaimed(claim, tokens, user, null, form, "This form was sent before: class '" + claim.result()
					+ "' was created then. Nothing was " + "created twice.");
		}
		CertificateClass created;
		try {
			created = this.manageClasses.create(form.toInput(null), user.getName());
		}
		catch (RequestException ex) {
			tokens.release(formToken);
			if (ex.kind() == RequestException.Kind.CONFLICT) {
				return nameTaken(formToken, user, form);
			}
			return refused(formToken, user, null, form, ex);
		}
		catch (RuntimeException ex) {
			tokens.release(formToken);
			if (ApiErrors.isConcurrentWrite(ex)) {
				// The same name created at the same moment from another form.
				return nameTaken(formToken, user, form);
			}
			throw ex;
		}
		tokens.done(formToken, created.getName());
		redirect.addFlashAttribute("success", "Class '" + created.getName() + "' created.");
		return new ModelAndView(LIST);
	}

	@PostMapping(path = "/{name}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView change(@PathVariable String name, @RequestParam MultiValueMap<String, String> params,
			HttpSession session, Principal user, RedirectAttributes redirect) {
		ClassForm form = ClassForm.from(params);
		String formToken = params.getFirst("formToken");
		FormTokens tokens = FormTokens.of(session);
		FormTokens.Claim claim = tokens.claim(formToken);
		if (claim.outcome() != FormTokens.Outcome.CLAIMED) {
			ClassForm shown = form;
			if (claim.outcome() == FormTokens.Outcome.DONE) {
				// What was saved then, and whatever came after it.
				try {
					shown = ClassForm.of(this.manageClasses.get(name));
				}
				catch (RequestException ex) {
					return notFound(user, ex);
				}
			}
			return unclaimed(claim, tokens, user, name, shown, "This form was sent before: the change to class '" + name
					+ "' was saved then as version " + claim.result() + ". It was not saved twice.");
		}
		CertificateClass changed;
		try {
			changed = this.manageClasses.change(name, form.versionNumber(), form.toInput(name), user.getName());
		}
		catch (RequestException ex) {
			tokens.release(formToken);
			return switch (ex.kind()) {
				case NOT_FOUND -> notFound(user, ex);
				case STALE -> stale(formToken, user, name, ex.getMessage());
				case VERSION_REQUIRED -> withStatus(
						formPage(formToken, user, name, form, Map.of()).addObject("formError",
								"This form does not say which version of the class it was based on. Open the "
										+ "class again from the list and make your change there."),
						HttpStatus.BAD_REQUEST);
				default -> refused(formToken, user, name, form, ex);
			};
		}
		catch (RuntimeException ex) {
			tokens.release(formToken);
			if (ApiErrors.isConcurrentWrite(ex)) {
				// Saved by someone else between our read and our write: the version
				// column refused it.
				return stale(formToken, user, name,
						"Class '" + name + "' was changed by someone else at the same " + "moment.");
			}
			throw ex;
		}
		tokens.done(formToken, String.valueOf(changed.getVersion()));
		redirect.addFlashAttribute("success", "Class '" + name + "' saved (version " + changed.getVersion()
				+ "). Requests made earlier keep " + "what they were made with.");
		return new ModelAndView(LIST);
	}

	@GetMapping("/{name}/retire")
	ModelAndView retireForm(@PathVariable String name, HttpSession session, Principal user) {
		CertificateClass cls;
		try {
			cls = this.manageClasses.get(name);
		}
		catch (RequestException ex) {
			return notFound(user, ex);
		}
		ModelAndView page = retirePage(FormTokens.of(session).issue(), user, cls);
		if (cls.getRetiredAt() != null) {
			page.addObject("formError", "Class '" + name + "' was already retired at " + time(cls.getRetiredAt())
					+ ". There is nothing more to do.");
			page.setStatus(HttpStatus.CONFLICT);
		}
		return page;
	}

	@PostMapping(path = "/{name}/retirement", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE)
	ModelAndView retire(@PathVariable String name, @RequestParam(name = "formToken", required = false) String formToken,
			HttpSession session, Principal user, RedirectAttributes redirect) {
		CertificateClass cls;
		try {
			cls = this.manageClasses.get(name);
		}
		catch (RequestException ex) {
			return notFound(user, ex);
		}
		FormTokens tokens = FormTokens.of(session);
		FormTokens.Claim claim = tokens.claim(formToken);
		if (claim.outcome() != FormTokens.Outcome.CLAIMED) {
			ModelAndView page = retirePage(tokens.issue(), user, cls);
			switch (claim.outcome()) {
				case DONE -> page.addObject("notice",
						"This form was sent before: class '" + name + "' was retired then. Nothing more was done.");
				case SENDING -> page.addObject("formError",
						"This form is being sent already (from another tab or a double click). Look at the list "
								+ "of classes before you send it again.");
				default -> page.addObject("formError",
						"This form has expired. Check that this is the class to retire and confirm again.");
			}
			page.setStatus(HttpStatus.CONFLICT);
			return page;
		}
		try {
			this.manageClasses.retire(name, user.getName());
		}
		catch (RequestException ex) {
			tokens.release(formToken);
			ModelAndView page = retirePage(formToken, user, this.manageClasses.get(name));
			page.addObject("formError", ex.getMessage());
			page.setStatus(ApiErrors.status(ex.kind()));
			return page;
		}
		catch (RuntimeException ex) {
			tokens.release(formToken);
			if (ApiErrors.isConcurrentWrite(ex)) {
				ModelAndView page = retirePage(formToken, user, this.manageClasses.get(name));
				page.addObject("formError", "Someone changed class '" + name + "' at the same moment; it was not "
						+ "retired. Check it below and confirm again if it still applies.");
				page.setStatus(HttpStatus.CONFLICT);
				return page;
			}
			throw ex;
		}
		tokens.done(formToken, name);
		redirect.addFlashAttribute("success", "Class '" + name + "' retired: it takes no new invitations or "
				+ "requests. Requests made earlier go on with it.");
		return new ModelAndView(LIST);
	}

	/** A claim that is not ours: sent before, being sent, or never issued. */
	private ModelAndView unclaimed(FormTokens.Claim claim, FormTokens tokens, Principal user, String name,
			ClassForm form, String doneNotice) {
		ModelAndView page = formPage(tokens.issue(), user, name, form, Map.of());
		switch (claim.outcome()) {
			case DONE -> page.addObject("notice", doneNotice);
			case SENDING -> page.addObject("formError", "This form is being sent already (from another tab or a "
					+ "double click). Look at the list of classes before you send it again.");
			default -> page.addObject("formError", "This form has expired. Check the values below and save again.");
		}
		page.setStatus(HttpStatus.CONFLICT);
		return page;
	}

	private ModelAndView refused(String formToken, Principal user, String name, ClassForm form, RequestException ex) {
		String field = fieldOf(ex.getMessage());
		ModelAndView page = formPage(formToken, user, name, form,
				(field != null) ? Map.of(field, ex.getMessage()) : Map.of());
		if (field == null) {
			page.addObject("formError", ex.getMessage());
		}
		page.setStatus(ApiErrors.status(ex.kind()));
		return page;
	}

	private ModelAndView nameTaken(String formToken, Principal user, ClassForm form) {
		ModelAndView page = formPage(formToken, user, null, form, Map.of("name", "A certificate class named '"
				+ form.name().strip() + "' exists already. Choose another name, or edit that class from the list."));
		page.setStatus(HttpStatus.CONFLICT);
		return page;
	}

	/**
	 * Shows the class as it is now, with its current version, and keeps nothing of ours.
	 */
	private ModelAndView stale(String formToken, Principal user, String name, String why) {
		CertificateClass current;
		try {
			current = this.manageClasses.get(name);
		}
		catch (RequestException ex) {
			return notFound(user, ex);
		}
		ModelAndView page = formPage(formToken, user, name, ClassForm.of(current), Map.of());
		page.addObject("formError", why + " Your changes were not saved: the form now shows the class as it is "
				+ "(version " + current.getVersion() + "). Make your change again and save.");
		page.setStatus(HttpStatus.CONFLICT);
		return page;
	}

	private ModelAndView notFound(Principal user, RequestException ex) {
		ModelAndView page = listPage(user);
		page.addObject("formError", ex.getMessage());
		page.setStatus(ApiErrors.status(ex.kind()));
		return page;
	}

	private ModelAndView listPage(Principal user) {
		List<ClassRow> rows = this.manageClasses.list().stream().map(ClassRow::of).toList();
		return layout("ramc/classes", "Certificate classes", user).addObject("classes", rows);
	}

	private ModelAndView formPage(String formToken, Principal user, String name, ClassForm form,
			Map<String, String> problems) {
		Set<String> profiles = new TreeSet<>(this.manageClasses.issuanceProfiles());
		if (form.issuanceProfile() != null && !form.issuanceProfile().isBlank()) {
			// A profile the CA no longer knows stays visible, so saving names it.
			profiles.add(form.issuanceProfile());
		}
		return layout("ramc/class-form", (name != null) ? "Edit class " + name : "New class", user)
			.addObject("editing", name)
			.addObject("formToken", formToken)
			.addObject("form", form)
			.addObject("problems", problems)
			.addObject("profiles", profiles)
			.addObject("keySourceOptions", new TreeSet<>(ManageClasses.KEY_SOURCES))
			.addObject("algorithmOptions", new TreeSet<>(ManageClasses.KEY_ALGORITHMS))
			.addObject("distributionOptions", new TreeSet<>(ManageClasses.DISTRIBUTION_METHODS))
			.addObject("maxValidityDays", ManageClasses.MAX_VALIDITY_DAYS);
	}

	private ModelAndView retirePage(String formToken, Principal user, CertificateClass cls) {
		return layout("ramc/class-retire", "Retire class " + cls.getName(), user).addObject("formToken", formToken)
			.addObject("cls", ClassRow.of(cls));
	}

	private static ModelAndView layout(String view, String title, Principal user) {
		return new ModelAndView(view).addObject("title", title)
			.addObject("section", "classes")
			.addObject("user", (user != null) ? user.getName() : null);
	}

	/** The field a message of {@link ManageClasses} is about: it starts with its name. */
	static String fieldOf(String message) {
		Matcher word = LEADING_WORD.matcher((message != null) ? message : "");
		return (word.lookingAt() && FIELDS.contains(word.group())) ? word.group() : null;
	}

	private static String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

	private static List<String> split(String commaSeparated) {
		return (commaSeparated == null || commaSeparated.isBlank()) ? List.of()
				: Arrays.stream(commaSeparated.split(",")).map(String::strip).toList();
	}

	/** A class as the list shows it. */
	record ClassRow(String name, String displayName, String description, String issuanceProfile,
			boolean issueImmediately, List<String> allowedDomains, boolean phoneRequired, boolean pinRequired,
			int validityDays, String escalationAfter, String retiredAt, long version) {

		static ClassRow of(CertificateClass c) {
			return new ClassRow(c.getName(), c.getDisplayName(), c.getDescription(), c.getIssuanceProfile(),
					c.isIssueImmediately(), split(c.getAllowedDomains()), c.isPhoneRequired(), c.isPinRequired(),
					c.getValidityDays(), c.getEscalationAfter(),
					(c.getRetiredAt() != null) ? time(c.getRetiredAt()) : null, c.getVersion());
		}

	}

	/**
	 * The form's fields as sent, kept as text so that wrong input is shown back as it was
	 * typed.
	 */
	record ClassForm(String name, String displayName, String description, String issuanceProfile,
			String issueImmediately, String allowedDomains, boolean phoneRequired, boolean pinRequired,
			List<String> keySources, List<String> keyAlgorithms, String validityDays, List<String> distributionMethods,
			String defaultDistribution, String billingCode, String escalationAfter, String version) {

		/** A new class starts from the defaults the API gives absent fields. */
		static ClassForm blank() {
			return new ClassForm("", "", "", "standard", "true", "", false, false, List.of("BROWSER", "CSR"),
					List.of("RSA-2048", "RSA-3072", "EC-P256"), "365", List.of("WEB_PICKUP"), "WEB_PICKUP", "", "", "");
		}

		static ClassForm of(CertificateClass c) {
			return new ClassForm(c.getName(), c.getDisplayName(), text(c.getDescription()), c.getIssuanceProfile(),
					String.valueOf(c.isIssueImmediately()), String.join(", ", split(c.getAllowedDomains())),
					c.isPhoneRequired(), c.isPinRequired(), split(c.getKeySources()), split(c.getKeyAlgorithms()),
					String.valueOf(c.getValidityDays()), split(c.getDistributionMethods()), c.getDefaultDistribution(),
					text(c.getBillingCode()), text(c.getEscalationAfter()), String.valueOf(c.getVersion()));
		}

		static ClassForm from(MultiValueMap<String, String> params) {
			return new ClassForm(text(params.getFirst("name")), text(params.getFirst("displayName")),
					text(params.getFirst("description")), text(params.getFirst("issuanceProfile")),
					text(params.getFirst("issueImmediately")), text(params.getFirst("allowedDomains")),
					params.containsKey("phoneRequired"), params.containsKey("pinRequired"),
					values(params, "keySources"), values(params, "keyAlgorithms"),
					text(params.getFirst("validityDays")), values(params, "distributionMethods"),
					text(params.getFirst("defaultDistribution")), text(params.getFirst("billingCode")),
					text(params.getFirst("escalationAfter")), text(params.getFirst("version")));
		}

		/**
		 * @param editing the class being changed, or null for a new one
		 * @return the service's input; an unchecked box list is an empty list (never the
		 * API's default), so that the service says at least one is needed
		 */
		ManageClasses.Input toInput(String editing) {
			List<String> domains = new ArrayList<>();
			for (String domain : LIST_SEPARATORS.split(this.allowedDomains)) {
				if (!domain.isBlank()) {
					domains.add(domain);
				}
			}
			return new ManageClasses.Input((editing != null) ? editing : this.name, this.displayName, this.description,
					this.issuanceProfile, issueImmediatelyChoice(), domains, this.phoneRequired, this.pinRequired,
					this.keySources, this.keyAlgorithms, validityDaysNumber(), this.distributionMethods,
					this.defaultDistribution.isBlank() ? null : this.defaultDistribution, this.billingCode,
					this.escalationAfter, null);
		}

		Long versionNumber() {
			return this.version.matches("[0-9]{1,18}") ? Long.valueOf(this.version) : null;
		}

		private Boolean issueImmediatelyChoice() {
			return switch (this.issueImmediately) {
				case "true" -> Boolean.TRUE;
				case "false" -> Boolean.FALSE;
				default -> throw new RequestException(RequestException.Kind.INVALID,
						"issueImmediately must be chosen: on approval, or in the scheduled batch.");
			};
		}

		private Integer validityDaysNumber() {
			if (this.validityDays.matches("[0-9]{1,9}")) {
				return Integer.valueOf(this.validityDays);
			}
			// Only the form's text is checked here; the range is the service's rule.
			throw new RequestException(RequestException.Kind.INVALID,
					"validityDays must be a whole number of days, such as 365, not '" + this.validityDays + "'.");
		}

		private static String text(String value) {
			return (value != null) ? value : "";
		}

		private static List<String> values(MultiValueMap<String, String> params, String field) {
			List<String> values = params.get(field);
			return (values != null) ? List.copyOf(values) : List.of();
		}

	}

	private static ModelAndView withStatus(ModelAndView page, HttpStatus status) {
		page.setStatus(status);
		return page;
	}

}
