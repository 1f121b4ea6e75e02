package org.certflow.web;

import java.security.Principal;

import org.certflow.billing.BillingEvent;
import org.certflow.billing.BillingQueue;
import org.certflow.request.RequestException;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * RAMC: the billing module. RA admins export a period's billing events as CSV, see how
 * many wait or failed, and send a FAILED event again.
 */
@Controller
@RequestMapping("/ramc/billing")
class RamcBillingPages {

	private final BillingQueue billing;

	RamcBillingPages(BillingQueue billing) {
		this.billing = billing;
	}

	@GetMapping
	ModelAndView overview(Principal user) {
		return page(user, null, null);
	}

	@GetMapping("/export.csv")
	ResponseEntity<StreamingResponseBody> export(@RequestParam(name = "from", required = false) String from,
			@RequestParam(name = "to", required = false) String to) {
		return BillingApiController.csv(this.billing, this.billing.period(from, to));
	}

	@PostMapping("/events/{eventId}/retry")
	ModelAndView retry(@PathVariable String eventId, Principal user) {
		BillingEvent event = this.billing.retry(eventId, user.getName());
		return page(user, null, "Billing event " + event.eventId() + " of serial " + event.serialHex()
				+ " will be sent again at once.");
	}

	/** A wrong period or event: the page again, with what was wrong. */
	@ExceptionHandler(RequestException.class)
	ModelAndView refused(RequestException ex, Principal user) {
		ModelAndView page = page(user, ex.getMessage(), null);
		page.setStatus(ApiErrors.status(ex.kind()));
		return page;
	}

	private ModelAndView page(Principal user, String formError, String notice) {
		return new ModelAndView("ramc/billing").addObject("title", "Billing")
			.addObject("section", "billing")
			.addObject("user", (user != null) ? user.getName() : null)
			.addObject("enabled", this.billing.enabled())
			.addObject("pending", this.billing.count(BillingEvent.PENDING))
			.addObject("sent", this.billing.count(BillingEvent.SENT))
			.addObject("failedCount", this.billing.count(BillingEvent.FAILED))
			.addObject("failed", this.billing.list(BillingEvent.FAILED, 0, BillingQueue.MAX_PAGE_SIZE).events())
			.addObject("formError", formError)
			.addObject("notice", notice);
	}

}
