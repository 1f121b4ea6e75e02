// PKCS#10 certificate requests (RFC 2986) built and signed in the browser with WebCrypto.
// The key types are the class tokens CertFlow uses (certificate_class.key_algorithms):
// RSA-2048 and RSA-3072 sign with RSASSA-PKCS1-v1_5/SHA-256, EC-P256 with ECDSA/SHA-256.

import { algorithm, bits, children, concat, explicit, int, nul, oid, pem, readAll, seq, set, toBytes, utf8 } from './asn1.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const COMMON_NAME = '2.5.4.3';

/** What each class token means to WebCrypto. */
export const KEY_ALGORITHMS = Object.freeze({
  'RSA-2048': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
  'RSA-3072': { name: 'RSASSA-PKCS1-v1_5', modulusLength: 3072, publicExponent: Uint8Array.of(1, 0, 1), hash: 'SHA-256' },
  'EC-P256': { name: 'ECDSA', namedCurve: 'P-256' },
});

/** Whether this browser can make keys here at all (a secure context with WebCrypto). */
export function webCryptoAvailable() {
  return typeof globalThis.crypto !== 'undefined' && typeof globalThis.crypto.subtle !== 'undefined'
      && globalThis.isSecureContext !== false;
}

/**
 * A new key pair for a class token (RSA-2048, RSA-3072, EC-P256). Extractable, because
 * the private key must be exported once to be stored (keystore.js); callers drop it then.
 */
export async function generateKeyPair(token) {
  const params = KEY_ALGORITHMS[token];
  if (!params) {
    throw new RangeError('this browser page cannot make a ' + token + ' key; choose one of '
        + Object.keys(KEY_ALGORITHMS).join(', '));
  }
  return crypto.subtle.generateKey(params, true, ['sign', 'verify']);
}

/** The subject Name: one RDN with the commonName as UTF8String. */
export function subjectName(commonName) {
  const cn = String(commonName ?? '').trim();
  if (cn.length === 0 || cn.length > 64) {
    throw new RangeError('the name must have 1 to 64 characters');
  }
  return seq(set(seq(oid(COMMON_NAME), utf8(cn))));
}

/**
 * WebCrypto's ECDSA signature is r||s, each padded to the curve size; X.509 and PKCS#10
 * want DER Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 3279 2.2.3).
 */
export function ecdsaRawToDer(raw) {
  const bytes = toBytes(raw);
  if (bytes.length === 0 || bytes.length % 2 !== 0) {
    throw new RangeError('an ECDSA signature must be r||s of equal lengths');
  }
  const half = bytes.length / 2;
  return seq(int(bytes.subarray(0, half)), int(bytes.subarray(half)));
}

/**
 * Builds and signs a CSR. Returns {der, pem, spki}: der and spki are Uint8Arrays, pem is
 * text for the csrPem form field.
 * @param keyPair a WebCrypto key pair from generateKeyPair
 * @param commonName the applicant's name; CertFlow never copies the CSR subject into the
 *     certificate (the RA validates the name), but it shows it to officers
 */
export async function buildCsr(keyPair, commonName) {
  const spki = new Uint8Array(await crypto.subtle.exportKey('spki', keyPair.publicKey));
  const info = seq(
    int(0),
    subjectName(commonName),
    spki,
    // attributes [0] IMPLICIT SET OF Attribute: none
    explicit(0),
  );
  const alg = keyPair.privateKey.algorithm;
  let signatureAlgorithm;
  let signature;
  if (alg.name === 'RSASSA-PKCS1-v1_5') {
    if (alg.hash.name !== 'SHA-256') {
      throw new RangeError('RSA keys must sign with SHA-256');
    }
    signatureAlgorithm = algorithm(SHA256_WITH_RSA, nul());
    signature = new Uint8Array(await crypto.subtle.sign({ name: alg.name }, keyPair.privateKey, info));
  } else if (alg.name === 'ECDSA') {
    signatureAlgorithm = algorithm(ECDSA_WITH_SHA256);
    const raw = await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, keyPair.privateKey, info);
    signature = ecdsaRawToDer(raw);
  } else {
    throw new RangeError('unsupported key algorithm ' + alg.name);
  }
  const der = seq(info, signatureAlgorithm, bits(signature));
  return { der, pem: pem('CERTIFICATE REQUEST', der), spki };
}

/** The subjectPublicKey bits of a DER SubjectPublicKeyInfo: what identifies the key. */
export function publicKeyBits(spki) {
  const parts = children(readAll(spki));
  if (parts.length !== 2 || parts[1].tag !== 0x03) {
    throw new RangeError('not a SubjectPublicKeyInfo');
  }
  return concat(parts[1].value);
}
