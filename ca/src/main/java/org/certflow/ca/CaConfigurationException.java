package org.certflow.ca;

/**
 * A CA setting is missing or wrong, or the key store it points at cannot be opened.
 * Thrown at start-up so a misconfigured CA never starts issuing; the message names the
 * setting.
 */
public class CaConfigurationException extends RuntimeException {

	private final String setting;

	private final String problem;

	public CaConfigurationException(String setting, String message) {
		super("CA setting '" + setting + "': " + message);
		this.setting = setting;
		this.problem = message;
	}

	public CaConfigurationException(String setting, String message, Throwable cause) {
		super("CA setting '" + setting + "': " + message, cause);
		this.setting = setting;
		this.problem = message;
	}

	/**
	 * The name of the offending setting, as named by the {@link CaSettings.Builder}
	 * method.
	 * @return the setting name
	 */
	public String setting() {
		return this.setting;
	}

	/**
	 * What is wrong, without the setting's name, for callers that name it their way.
	 * @return the problem
	 */
	public String problem() {
		return this.problem;
	}

}
