// Keeps a browser-made private key in this browser until the certificate is installed.
//
// Why this design: the key has to survive from the application to the activation (days
// later, other page loads), so it must be stored; but page storage is readable by any
// script of this origin and lands on disk. So:
//  1. The key pair is generated extractable only so that its PKCS#8 can be exported once.
//  2. That PKCS#8 is encrypted with AES-256-GCM under a wrapping key generated
//     NON-extractable; IndexedDB stores the CryptoKey object itself (structured clone),
//     so the browser keeps its bytes out of reach of every script, ours included.
//  3. IndexedDB holds only the ciphertext, the IV, the wrapping key handle, the public
//     key (SPKI DER), the key type and the creation time. The caller drops every
//     extractable handle and zeroes the exported bytes.
// The raw key is therefore never held in page storage in clear, and it can only be
// decrypted in this browser profile (copying the IndexedDB files elsewhere does not carry
// a usable wrapping key). At activation the page looks the key up by the certificate's
// public key, decrypts it just long enough to build the PKCS#12 the applicant protects
// with a password of their own, and then offers to delete it.

import { hex } from './asn1.js';
import { buildCsr, generateKeyPair, publicKeyBits } from './pkcs10.js';

const DB_NAME = 'certflow-keys';
const STORE = 'keys';

/** Whether IndexedDB can be used here (absent in some private modes and old browsers). */
export function indexedDbAvailable() {
  return typeof globalThis.indexedDB !== 'undefined' && globalThis.indexedDB !== null;
}

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore(STORE, { keyPath: 'id' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB cannot be opened'));
    request.onblocked = () => reject(new Error('IndexedDB is blocked by another tab of this site'));
  });
}

async function withStore(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      let result;
      request.onsuccess = () => {
        result = request.result;
      };
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error ?? request.error);
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** The id a key is stored under: hex SHA-256 of its public key bits (not of the SPKI
 *  encoding, so parameter encodings the CA might normalise do not matter). */
export async function keyId(spki) {
  return hex(new Uint8Array(await crypto.subtle.digest('SHA-256', publicKeyBits(spki))));
}

/**
 * Stores a private key encrypted under a fresh non-extractable AES-GCM key.
 * @param options.pkcs8 PKCS#8 DER of the private key (the caller zeroes it afterwards)
 * @param options.spki SubjectPublicKeyInfo DER of the public key
 * @param options.algorithm the class token, e.g. RSA-2048
 * @returns the record id
 */
export async function storeKey({ pkcs8, spki, algorithm }) {
  const wrappingKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false,
    ['encrypt', 'decrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const encryptedPkcs8 = await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrappingKey, pkcs8);
  const id = await keyId(spki);
  const record = {
    id,
    algorithm,
    spki: new Uint8Array(spki).buffer,
    created: new Date().toISOString(),
    wrappingKey,
    iv: iv.buffer,
    encryptedPkcs8,
  };
  await withStore('readwrite', (store) => store.put(record));
  return id;
}

/** The stored record whose public key is this SPKI's, or null. */
export async function findKeyBySpki(spki) {
  const id = await keyId(spki);
  const record = await withStore('readonly', (store) => store.get(id));
  return record ?? null;
}

/** Decrypts a stored record's PKCS#8 (Uint8Array; zero it when done). */
export async function decryptPrivateKey(record) {
  const plain = await crypto.subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(record.iv) },
    record.wrappingKey, record.encryptedPkcs8);
  return new Uint8Array(plain);
}

/** Every stored record (for listing: id, algorithm, created; the key stays encrypted). */
export async function listKeys() {
  return (await withStore('readonly', (store) => store.getAll())) ?? [];
}

/** Deletes a stored key for good. */
export async function removeKey(id) {
  await withStore('readwrite', (store) => store.delete(id));
}

/**
 * The whole application step: a new key pair of the class token, the CSR signed with it,
 * the private key stored as above. Returns {pem, id}; no key handle leaves this function.
 */
export async function makeAndStoreKey(token, commonName) {
  let keyPair = await generateKeyPair(token);
  const csr = await buildCsr(keyPair, commonName);
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keyPair.privateKey));
  keyPair = null;
  try {
    const id = await storeKey({ pkcs8, spki: csr.spki, algorithm: token });
    return { pem: csr.pem, id };
  } finally {
    pkcs8.fill(0);
  }
}
