package org.certflow.web;

import java.io.IOException;

/** A request body over the limit of {@link RequestSizeLimitFilter}. */
class PayloadTooLargeException extends IOException {

	PayloadTooLargeException(long limit) {
		super("The request body is larger than " + size(limit) + ".");
	}

	static String size(long bytes) {
		return (bytes >= 1024 * 1024) ? (bytes / (1024 * 1024)) + " MiB" : (bytes / 1024) + " KiB";
	}

	static PayloadTooLargeException in(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof PayloadTooLargeException tooLarge) {
				return tooLarge;
			}
		}
		return null;
	}

}
