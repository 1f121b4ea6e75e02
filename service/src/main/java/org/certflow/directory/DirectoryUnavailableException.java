package org.certflow.directory;

/**
 * The directory could not be reached or refused a change. The step that met it fails and
 * is tried again; the message names the server and what it answered, never a password.
 */
public class DirectoryUnavailableException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	public DirectoryUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
