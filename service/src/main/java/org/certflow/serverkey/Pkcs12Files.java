package org.certflow.serverkey;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.List;

import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS12PfxPduBuilder;
import org.bouncycastle.pkcs.PKCS12SafeBag;
import org.bouncycastle.pkcs.PKCS12SafeBagBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcePKCS12MacCalculatorBuilder;
import org.bouncycastle.pkcs.jcajce.JcePKCSPBEOutputEncryptorBuilder;

/**
 * Builds the PKCS#12 file a server-made key is delivered in: PBES2 with
 * PBKDF2-HMAC-SHA256 and AES-256-CBC for the key and the certificates, HMAC-SHA256 for
 * the integrity MAC. OpenSSL 3 opens it without {@code -legacy}, and so do keytool,
 * Windows 10+, macOS and Firefox.
 */
public final class Pkcs12Files {

	/** PBKDF2 rounds inside the file. */
	static final int ITERATIONS = 100_000;

	/**
	 * Bouncy Castle's own provider, not registered globally: the JDK's maps the AES-CBC
	 * OID to an unpadded cipher.
	 */
	private static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

	private Pkcs12Files() {
	}

	/**
	 * @param privateKeyPkcs8 the subject's private key
	 * @param chain the certificate chain, leaf first
	 * @param password the file's password
	 * @param friendlyName the name the key shows under in a key store
	 * @return the DER of the PKCS#12 file
	 */
	public static byte[] build(byte[] privateKeyPkcs8, List<X509CertificateHolder> chain, char[] password,
			String friendlyName) {
		try {
			PrivateKeyInfo keyInfo = PrivateKeyInfo.getInstance(privateKeyPkcs8);
			X509CertificateHolder leaf = chain.get(0);
			if (!leaf.getSubjectPublicKeyInfo().equals(publicKeyOf(privateKeyPkcs8, keyInfo))) {
				throw new IllegalStateException("The stored key does not match the certificate");
			}
			DEROctetString localKeyId = new DEROctetString(
					MessageDigest.getInstance("SHA-1").digest(leaf.getSubjectPublicKeyInfo().getEncoded()));
			PKCS12SafeBag[] certificates = new PKCS12SafeBag[chain.size()];
			for (int i = 0; i < chain.size(); i++) {
				PKCS12SafeBagBuilder bag = new PKCS12SafeBagBuilder(chain.get(i));
				if (i == 0) {
					bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
					bag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
				}
				certificates[i] = bag.build();
			}
			PKCS12SafeBagBuilder keyBag = new PKCS12SafeBagBuilder(keyInfo, encryptor(password));
			keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_friendlyName, new DERBMPString(friendlyName));
			keyBag.addBagAttribute(PKCSObjectIdentifiers.pkcs_9_at_localKeyId, localKeyId);
			PKCS12PfxPduBuilder pfx = new PKCS12PfxPduBuilder();
			pfx.addEncryptedData(encryptor(password), certificates);
			pfx.addData(keyBag.build());
			return pfx
				.build(new JcePKCS12MacCalculatorBuilder(NISTObjectIdentifiers.id_sha256).setProvider(BC)
					.setIterationCount(ITERATIONS), password)
				.getEncoded();
		}
		catch (IOException | GeneralSecurityException | OperatorCreationException | PKCSException ex) {
			throw new IllegalStateException("Cannot build the PKCS#12 file", ex);
		}
	}

	private static OutputEncryptor encryptor(char[] password) throws OperatorCreationException {
		return new JcePKCSPBEOutputEncryptorBuilder(NISTObjectIdentifiers.id_aes256_CBC).setProvider(BC)
			.setPRF(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))
			.setIterationCount(ITERATIONS)
			.build(password);
	}

	private static org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKeyOf(byte[] pkcs8, PrivateKeyInfo info)
			throws GeneralSecurityException {
		String algorithm = info.getPrivateKeyAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)
				? "RSA" : "EC";
		KeyFactory factory = KeyFactory.getInstance(algorithm);
		PrivateKey key = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
		java.security.PublicKey publicKey;
		if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
			publicKey = factory
				.generatePublic(new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
		}
		else {
			// PKCS#8 from the JDK's EC generator carries no public key: derive it.
			java.security.interfaces.ECPrivateKey ec = (java.security.interfaces.ECPrivateKey) key;
			org.bouncycastle.asn1.x9.X9ECParameters params = org.bouncycastle.asn1.x9.ECNamedCurveTable
				.getByOID(org.bouncycastle.asn1.ASN1ObjectIdentifier
					.getInstance(info.getPrivateKeyAlgorithm().getParameters()));
			org.bouncycastle.math.ec.ECPoint point = params.getG().multiply(ec.getS()).normalize();
			java.security.spec.ECPoint w = new java.security.spec.ECPoint(point.getAffineXCoord().toBigInteger(),
					point.getAffineYCoord().toBigInteger());
			publicKey = factory.generatePublic(new java.security.spec.ECPublicKeySpec(w, ec.getParams()));
		}
		return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(publicKey.getEncoded());
	}

}
