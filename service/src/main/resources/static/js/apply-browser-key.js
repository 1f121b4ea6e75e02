// Application form, "make my key in this browser": when the form is sent with
// keySource=BROWSER, make the key pair, sign the CSR with it, put the CSR into the csrPem
// field, keep the private key in this browser (keystore.js), then send the form.

import { KEY_ALGORITHMS, webCryptoAvailable } from './pkcs10.js';
import { indexedDbAvailable, makeAndStoreKey } from './keystore.js';

const form = document.getElementById('applicationForm');
const status = document.getElementById('browserKeyStatus');
const error = document.getElementById('browserKeyError');
const select = document.getElementById('keyAlgorithm');

function say(text) {
  status.textContent = text;
}

function fail(text) {
  say('');
  error.textContent = text;
  error.hidden = false;
}

function clearError() {
  error.textContent = '';
  error.hidden = true;
}

function keySource() {
  const field = form.elements.namedItem('keySource');
  if (!field) {
    return 'BROWSER';
  }
  return field.value;
}

function csrField() {
  return form.elements.namedItem('csrPem');
}

// A class that takes only browser keys has no CSR field on the form: add a hidden one.
function csrFieldForSending() {
  let field = csrField();
  if (!field) {
    field = document.createElement('input');
    field.type = 'hidden';
    field.name = 'csrPem';
    form.appendChild(field);
  }
  return field;
}

// The pasted-CSR field is required only when the applicant pastes one.
function followKeySource() {
  const field = csrField();
  if (field && field.tagName === 'TEXTAREA') {
    field.required = keySource() !== 'BROWSER';
  }
}

function unsupportedReason() {
  if (!webCryptoAvailable()) {
    return 'This browser cannot make keys here (WebCrypto is missing or the page is not served securely). '
        + 'Choose the option to paste a certificate signing request instead.';
  }
  if (!indexedDbAvailable()) {
    return 'This browser cannot keep a key for this site (IndexedDB is off, for example in a private window). '
        + 'Use a normal window, or choose the option to paste a certificate signing request instead.';
  }
  if (!select || select.options.length === 0) {
    return 'This certificate class accepts no key type this page can make. '
        + 'Choose the option to paste a certificate signing request instead.';
  }
  return null;
}

let sending = false;

async function submitWithBrowserKey(event) {
  if (keySource() !== 'BROWSER') {
    return;
  }
  event.preventDefault();
  if (sending) {
    return;
  }
  clearError();
  const reason = unsupportedReason();
  if (reason) {
    fail(reason);
    return;
  }
  const token = select.value;
  if (!KEY_ALGORITHMS[token]) {
    fail('Choose a key type from the list.');
    return;
  }
  const fullName = form.elements.namedItem('fullName');
  const name = fullName ? fullName.value.trim() : '';
  if (!name) {
    fail('Enter your full name first: it goes into the certificate request.');
    if (fullName) {
      fullName.focus();
    }
    return;
  }
  sending = true;
  const buttons = form.querySelectorAll('button[type=submit], input[type=submit]');
  buttons.forEach((b) => { b.disabled = true; });
  try {
    say('Making your ' + token + ' key in this browser' + (token.startsWith('RSA') ? ' (this can take a few seconds)' : '') + '…');
    const made = await makeAndStoreKey(token, name);
    csrFieldForSending().value = made.pem;
    say('Key made and kept in this browser. Sending your application…');
    form.submit();
  } catch (e) {
    sending = false;
    buttons.forEach((b) => { b.disabled = false; });
    fail('The key could not be made or kept in this browser (' + (e && e.message ? e.message : e) + '). '
        + 'Try again, or choose the option to paste a certificate signing request.');
  }
}

if (form) {
  form.addEventListener('submit', submitWithBrowserKey);
  form.addEventListener('change', (event) => {
    if (event.target && event.target.name === 'keySource') {
      followKeySource();
      clearError();
    }
  });
  followKeySource();
  const reason = unsupportedReason();
  if (reason && keySource() === 'BROWSER') {
    fail(reason);
  }
}
