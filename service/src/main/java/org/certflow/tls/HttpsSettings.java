package org.certflow.tls;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

/**
 * Settings under {@code certflow.https.*}: the HTTPS listener the embedded default opens
 * beside plain HTTP, with a certificate from CertFlow's own CA.
 *
 * @param enabled {@code null} (the default) for on in the embedded default
 * ({@code certflow.role=all}) and off on an RA node; {@code false} for off everywhere
 * @param port the port, bound to {@code server.address} like the HTTP one; 0 for a free
 * port
 * @param hostName the one host name the certificate names (subject CN and dNSName)
 */
@Validated
@ConfigurationProperties("certflow.https")
public record HttpsSettings(Boolean enabled, @Min(0) @Max(65535) int port, @NotBlank String hostName) {
}
