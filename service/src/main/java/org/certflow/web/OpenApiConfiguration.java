package org.certflow.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.BinarySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description served at {@code /v3/api-docs}. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "CertFlow API", version = "v1",
		description = "RA admin API (HTTP Basic) and applicant API (capabilities in the body). Errors are RFC 9457 "
				+ "problem details."))
@SecurityScheme(name = "basic", type = SecuritySchemeType.HTTP, scheme = "basic")
class OpenApiConfiguration {

	/**
	 * OCSP over GET is served by {@link OcspFilter}, outside Spring MVC (its path holds
	 * an encoded '/' that MVC would refuse), so springdoc cannot see it: describe it
	 * here.
	 * @return the customizer
	 */
	@Bean
	OpenApiCustomizer ocspGetDescription() {
		return (openApi) -> {
			Operation get = new Operation().addTagsItem("Relying parties")
				.operationId("ocspGet")
				.summary("OCSP (RFC 6960) over GET")
				.description("RFC 6960 appendix A.1: the DER OCSP request, base64-encoded and then URL-encoded "
						+ "('/' as %2F, '+' as %2B, '=' as %3D), as the last path segment, at most 4 KiB; RFC 6960 "
						+ "recommends POST /ocsp for requests longer than 255 bytes. Always answers 200 with an OCSP response; a malformed "
						+ "request gets the OCSP status malformedRequest.")
				.addParametersItem(new PathParameter().name("request")
					.required(true)
					.description("URL-encoded base64 of the DER OCSP request")
					.schema(new StringSchema().maxLength(4096)))
				.responses(new ApiResponses().addApiResponse("200",
						new ApiResponse().description("The OCSP response (DER), signed by the issuing CA")
							.content(new Content().addMediaType(CaPublicationController.OCSP_RESPONSE.toString(),
									new io.swagger.v3.oas.models.media.MediaType().schema(new BinarySchema())))));
			openApi.path("/ocsp/{request}", new PathItem().get(get));
		};
	}

}
