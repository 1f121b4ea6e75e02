// Activation success page, key made in this browser: fetch the certificate chain, find
// the stored key by the certificate's public key, and build a PKCS#12 protected by a
// password the applicant chooses. Nothing here is sent anywhere.

import { pemBlocks } from './asn1.js';
import { buildPkcs12, certificateSpki, commonNameOf, fileNameFor } from './pkcs12.js';
import { decryptPrivateKey, findKeyBySpki, indexedDbAvailable, removeKey } from './keystore.js';
import { webCryptoAvailable } from './pkcs10.js';

const form = document.getElementById('p12Form');
const password = document.getElementById('p12Password');
const repeat = document.getElementById('p12PasswordRepeat');
const button = document.getElementById('buildP12');
const status = document.getElementById('p12Status');
const error = document.getElementById('p12Error');
const download = document.getElementById('p12Download');
const link = document.getElementById('p12Link');
const removal = document.getElementById('p12Remove');
const removeButton = document.getElementById('removeKey');
const chainLink = document.getElementById('chainLink');

let storedId = null;
let objectUrl = null;

function say(text) {
  status.textContent = text;
}

function fail(text, field) {
  say('');
  error.textContent = text;
  error.hidden = false;
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

function clearError() {
  error.textContent = '';
  error.hidden = true;
  password.removeAttribute('aria-invalid');
  repeat.removeAttribute('aria-invalid');
}

async function build(event) {
  event.preventDefault();
  clearError();
  if (!webCryptoAvailable() || !indexedDbAvailable()) {
    fail('This browser cannot reach a key kept for this site (WebCrypto or IndexedDB is missing). '
        + 'Download the certificate chain instead.');
    return;
  }
  if (password.value.length < 8) {
    fail('Choose a password of at least 8 characters.', password);
    return;
  }
  if (password.value !== repeat.value) {
    fail('The two passwords differ. Type the same password twice.', repeat);
    return;
  }
  button.disabled = true;
  let pkcs8 = null;
  try {
    say('Fetching your certificate…');
    const response = await fetch(chainLink.getAttribute('href'), { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) {
      fail(response.status === 404 || response.status === 410
        ? 'The certificate is no longer offered on this page. Open the activation link again, or download the chain.'
        : 'The certificate could not be fetched (HTTP ' + response.status + '). Try again.');
      return;
    }
    const chain = pemBlocks(await response.text(), 'CERTIFICATE');
    if (chain.length === 0) {
      fail('The server sent no certificate. Try again later.');
      return;
    }
    const record = await findKeyBySpki(certificateSpki(chain[0]));
    if (!record) {
      fail('The private key for this certificate is not in this browser. It stays in the browser that made the '
          + 'application (the same browser profile on the same computer); open the activation link there. '
          + 'If this site\'s data was cleared, the key is gone: download the chain alone, or ask your registration '
          + 'authority for a new certificate.');
      return;
    }
    say('Building your .p12 file…');
    pkcs8 = await decryptPrivateKey(record);
    const p12 = await buildPkcs12({
      privateKey: pkcs8, certificates: chain, password: password.value, friendlyName: commonNameOf(chain[0]) ?? 'certflow',
    });
    if (objectUrl) {
      URL.revokeObjectURL(objectUrl);
    }
    objectUrl = URL.createObjectURL(new Blob([p12], { type: 'application/x-pkcs12' }));
    link.href = objectUrl;
    link.download = fileNameFor(chain[0]) + '.p12';
    download.hidden = false;
    storedId = record.id;
    removal.hidden = false;
    password.value = '';
    repeat.value = '';
    say('Your .p12 file is ready. Download it and import it with the password you chose.');
    link.focus();
  } catch (e) {
    fail('The .p12 file could not be built (' + (e && e.message ? e.message : e) + '). Download the chain instead.');
  } finally {
    if (pkcs8) {
      pkcs8.fill(0);
    }
    button.disabled = false;
  }
}

async function remove() {
  if (!storedId) {
    return;
  }
  try {
    await removeKey(storedId);
    storedId = null;
    removal.hidden = true;
    say('The key is removed from this browser. Keep your .p12 file and its password safe.');
  } catch (e) {
    fail('The key could not be removed (' + (e && e.message ? e.message : e) + ').');
  }
}

if (form) {
  form.addEventListener('submit', build);
  removeButton.addEventListener('click', remove);
}
