package org.certflow;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** Reaches the embedded signer of a running RA context, for tests. */
public final class EmbeddedSigners {

	private EmbeddedSigners() {
	}

	/**
	 * @param ra the RA node's context
	 * @return the signer's own context
	 */
	public static ConfigurableApplicationContext context(ApplicationContext ra) {
		ConfigurableApplicationContext signer = ra.getBean(EmbeddedSigner.class).context();
		if (signer == null) {
			throw new IllegalStateException("The embedded signer is not running");
		}
		return signer;
	}

	/**
	 * A signer bean, such as the issuing use case.
	 * @param ra the RA node's context
	 * @param type the bean type
	 * @param <T> the type
	 * @return the bean
	 */
	public static <T> T bean(ApplicationContext ra, Class<T> type) {
		return context(ra).getBean(type);
	}

	/**
	 * Stops the embedded signer, as a signer process that dies would.
	 * @param ra the RA node's context
	 */
	public static void stop(ApplicationContext ra) {
		ra.getBean(EmbeddedSigner.class).stop();
	}

	/**
	 * Starts it again.
	 * @param ra the RA node's context
	 */
	public static void start(ApplicationContext ra) {
		ra.getBean(EmbeddedSigner.class).start();
	}

}
