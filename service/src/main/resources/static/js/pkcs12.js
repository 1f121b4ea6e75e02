// PKCS#12 (RFC 7292) files built in the browser, in the form OpenSSL 3 writes by default
// and reads without -legacy, and Java's KeyStore reads too:
//  - the private key in a pkcs8ShroudedKeyBag, encrypted with PBES2 (RFC 8018):
//    PBKDF2-HMAC-SHA256 and AES-256-CBC;
//  - the certificates in an encrypted SafeContents with the same scheme;
//  - friendlyName and localKeyId on the key and its certificate, so tools pair them;
//  - an HMAC-SHA256 MAC over the contents, its key from the PKCS#12 KDF (RFC 7292
//    appendix B.2, ID 3, SHA-256) over the password as a BMPString.
// PBKDF2 takes the password's UTF-8 bytes, as OpenSSL and Java do for PBES2.

import {
  algorithm, bmp, children, concat, explicit, implicitPrimitive, int, nul, octets, oid, readAll, readOid, seq, set,
  toBytes, utf16be,
} from './asn1.js';

const OID = Object.freeze({
  data: '1.2.840.113549.1.7.1',
  encryptedData: '1.2.840.113549.1.7.6',
  pkcs8ShroudedKeyBag: '1.2.840.113549.1.12.10.1.2',
  certBag: '1.2.840.113549.1.12.10.1.3',
  x509Certificate: '1.2.840.113549.1.9.22.1',
  friendlyName: '1.2.840.113549.1.9.20',
  localKeyId: '1.2.840.113549.1.9.21',
  pbes2: '1.2.840.113549.1.5.13',
  pbkdf2: '1.2.840.113549.1.5.12',
  hmacWithSha256: '1.2.840.113549.2.9',
  aes256Cbc: '2.16.840.1.101.3.4.1.42',
  sha256: '2.16.840.1.101.3.4.2.1',
});

/** PBKDF2 rounds for the key and certificates; well above OpenSSL's 2048. */
export const DEFAULT_ITERATIONS = 100000;

/** MAC KDF rounds: what OpenSSL 3 writes (the MAC guards integrity, not secrecy). */
export const DEFAULT_MAC_ITERATIONS = 2048;

const encoder = new TextEncoder();

function random(length) {
  return crypto.getRandomValues(new Uint8Array(length));
}

async function sha(name, data) {
  return new Uint8Array(await crypto.subtle.digest(name, data));
}

/**
 * The PKCS#12 key derivation (RFC 7292 appendix B.2) with SHA-256 (u = 32, v = 64).
 * @param password the password text; encoded as a BMPString with two zero bytes at the end
 * @param salt bytes
 * @param id 1 key, 2 IV, 3 MAC key
 * @param iterations rounds
 * @param length bytes wanted
 */
export async function pkcs12Kdf(password, salt, id, iterations, length) {
  const u = 32;
  const v = 64;
  const passwordBytes = password.length === 0 ? new Uint8Array(0) : concat(utf16be(password), [0, 0]);
  const fill = (bytes) => {
    const n = v * Math.ceil(bytes.length / v);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = bytes[i % bytes.length];
    }
    return out;
  };
  const d = new Uint8Array(v).fill(id);
  const s = fill(toBytes(salt));
  const p = fill(passwordBytes);
  const i = concat(s, p);
  const rounds = Math.ceil(length / u);
  const result = new Uint8Array(rounds * u);
  for (let r = 0; r < rounds; r++) {
    let a = await sha('SHA-256', concat(d, i));
    for (let c = 1; c < iterations; c++) {
      a = await sha('SHA-256', a);
    }
    result.set(a, r * u);
    if (r + 1 < rounds) {
      // I_j = (I_j + B + 1) mod 2^(8v) for each v-byte block, B = A repeated to v bytes.
      const b = new Uint8Array(v);
      for (let k = 0; k < v; k++) {
        b[k] = a[k % u];
      }
      for (let j = 0; j < i.length; j += v) {
        let carry = 1;
        for (let k = v - 1; k >= 0; k--) {
          const sum = i[j + k] + b[k] + carry;
          i[j + k] = sum & 0xff;
          carry = sum >> 8;
        }
      }
    }
  }
  return result.subarray(0, length);
}

/** PBES2 encryption: returns the DER AlgorithmIdentifier and the ciphertext. */
async function pbes2Encrypt(password, plaintext, iterations) {
  const salt = random(16);
  const iv = random(16);
  const base = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, ['deriveKey']);
  const key = await crypto.subtle.deriveKey(
    { name: 'PBKDF2', salt, iterations, hash: 'SHA-256' },
    base,
    { name: 'AES-CBC', length: 256 },
    false,
    ['encrypt'],
  );
  const ciphertext = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-CBC', iv }, key, plaintext));
  const parameters = seq(
    algorithm(OID.pbkdf2, seq(octets(salt), int(iterations), algorithm(OID.hmacWithSha256, nul()))),
    algorithm(OID.aes256Cbc, octets(iv)),
  );
  return { algorithmIdentifier: algorithm(OID.pbes2, parameters), ciphertext };
}

function attribute(type, value) {
  return seq(oid(type), set(value));
}

function bag(type, value, attributes) {
  return attributes.length > 0
    ? seq(oid(type), explicit(0, value), set(...attributes))
    : seq(oid(type), explicit(0, value));
}

function dataContentInfo(content) {
  return seq(oid(OID.data), explicit(0, octets(content)));
}

/**
 * Builds a PKCS#12 file.
 * @param options.privateKey PKCS#8 PrivateKeyInfo DER (Uint8Array or ArrayBuffer)
 * @param options.certificates DER certificates, the key's certificate first, then its chain
 * @param options.password the password the applicant chose (not empty)
 * @param options.friendlyName the name tools show for the entry
 * @param options.iterations PBKDF2 rounds (DEFAULT_ITERATIONS)
 * @param options.macIterations MAC KDF rounds (DEFAULT_MAC_ITERATIONS)
 * @returns the DER bytes (Uint8Array)
 */
export async function buildPkcs12({
  privateKey, certificates, password, friendlyName = 'certflow',
  iterations = DEFAULT_ITERATIONS, macIterations = DEFAULT_MAC_ITERATIONS,
}) {
  if (typeof password !== 'string' || password.length === 0) {
    throw new RangeError('a PKCS#12 file needs a password');
  }
  if (!certificates || certificates.length === 0) {
    throw new RangeError('a PKCS#12 file needs the certificate');
  }
  const certs = certificates.map(toBytes);
  // OpenSSL's choice too: the SHA-1 of the certificate pairs it with its key.
  const keyId = await sha('SHA-1', certs[0]);
  const entryAttributes = [attribute(OID.friendlyName, bmp(friendlyName)), attribute(OID.localKeyId, octets(keyId))];

  const certBags = certs.map((der, index) => bag(OID.certBag,
    seq(oid(OID.x509Certificate), explicit(0, octets(der))),
    index === 0 ? entryAttributes : []));
  const certsEncrypted = await pbes2Encrypt(password, seq(...certBags), iterations);
  const certsInfo = seq(oid(OID.encryptedData), explicit(0, seq(
    int(0),
    seq(oid(OID.data), certsEncrypted.algorithmIdentifier, implicitPrimitive(0, certsEncrypted.ciphertext)),
  )));

  const keyEncrypted = await pbes2Encrypt(password, toBytes(privateKey), iterations);
  const keyBag = bag(OID.pkcs8ShroudedKeyBag,
    seq(keyEncrypted.algorithmIdentifier, octets(keyEncrypted.ciphertext)), entryAttributes);
  const keyInfo = dataContentInfo(seq(keyBag));

  const authenticatedSafe = seq(certsInfo, keyInfo);
  const macSalt = random(16);
  const macKeyBytes = await pkcs12Kdf(password, macSalt, 3, macIterations, 32);
  const macKey = await crypto.subtle.importKey('raw', macKeyBytes, { name: 'HMAC', hash: 'SHA-256' }, false,
    ['sign']);
  macKeyBytes.fill(0);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', macKey, authenticatedSafe));
  const macData = seq(seq(algorithm(OID.sha256, nul()), octets(mac)), octets(macSalt), int(macIterations));
  return seq(int(3), dataContentInfo(authenticatedSafe), macData);
}

/** The DER SubjectPublicKeyInfo of a DER X.509 certificate. */
export function certificateSpki(certificate) {
  const tbs = children(children(readAll(certificate))[0]);
  // version [0] is optional; then serial, signature, issuer, validity, subject, spki
  const first = tbs[0].tag === 0xa0 ? 1 : 0;
  const spki = tbs[first + 5];
  if (!spki || spki.tag !== 0x30) {
    throw new RangeError('not an X.509 certificate');
  }
  return concat(spki.bytes);
}

/** The subject commonName of a DER X.509 certificate as text, or null. */
export function commonNameOf(certificate) {
  try {
    const tbs = children(children(readAll(certificate))[0]);
    const first = tbs[0].tag === 0xa0 ? 1 : 0;
    for (const rdn of children(tbs[first + 4])) {
      for (const atv of children(rdn)) {
        const [type, value] = children(atv);
        if (readOid(type) === '2.5.4.3') {
          return value.tag === 0x1e ? fromUtf16be(value.value) : new TextDecoder().decode(value.value);
        }
      }
    }
  } catch (e) {
    // not a certificate we can read a name from
  }
  return null;
}

function fromUtf16be(bytes) {
  let text = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    text += String.fromCharCode((bytes[i] << 8) | bytes[i + 1]);
  }
  return text;
}

/** A file name from a certificate's subject common name, or the fallback. */
export function fileNameFor(certificate, fallback = 'certificate') {
  const name = (commonNameOf(certificate) ?? '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  return name || fallback;
}
