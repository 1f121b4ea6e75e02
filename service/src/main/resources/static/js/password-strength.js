// The password rule of org.certflow.request.PasswordStrength, line for line, so that the
// meter never promises what the server then refuses (ServerKeyBrowserTest runs both
// on the same passwords). Change both together.

export const REQUIRED_BITS = 112;

const WORD_BITS = 11;

export const COMMON = ["password", "passwort", "passw0rd", "qwerty", "azerty", "qwertz",
  "letmein", "welcome", "admin", "login", "master", "dragon", "monkey", "sunshine", "princess", "football",
  "baseball", "soccer", "iloveyou", "trustno1", "shadow", "superman", "batman", "secret", "certificate",
  "certflow", "changeme", "default", "hello", "summer", "winter", "spring", "autumn", "january", "february",
  "december", "monday", "friday", "love", "test", "user", "guest", "root", "pass", "abc123", "123456",
  "654321", "111111", "000000", "121212", "696969", "michael", "jennifer", "jordan", "hunter", "ranger",
  "harley", "thomas", "robert", "daniel", "charlie", "freedom", "whatever", "computer", "internet", "google",
  "starwars", "pokemon", "cheese", "flower", "killer", "access", "mustang", "maggie", "ginger", "secure",
  "company", "london", "paris", "berlin", "zurich"];

const KEYBOARD_ROWS = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

function asciiLower(value) {
  let lower = "";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    lower += (c >= 65 && c <= 90) ? String.fromCharCode(c + 32) : value.charAt(i);
  }
  return lower;
}

function words(personal) {
  const list = COMMON.slice();
  for (const value of personal) {
    if (value === null || value === undefined) {
      continue;
    }
    for (const part of asciiLower(String(value)).split(/[^a-z0-9]+/)) {
      if (part.length >= 3 && !list.includes(part)) {
        list.push(part);
      }
    }
  }
  // Longest first; a stable sort keeps list order for ties, as Java's does.
  return list.sort((a, b) => b.length - a.length);
}

function follows(previous, current) {
  if (previous === current || Math.abs(current.charCodeAt(0) - previous.charCodeAt(0)) === 1) {
    return true;
  }
  for (const row of KEYBOARD_ROWS) {
    const a = row.indexOf(previous);
    const b = row.indexOf(current);
    if (a >= 0 && b >= 0 && Math.abs(a - b) === 1) {
      return true;
    }
  }
  return false;
}

function pool(password) {
  let lower = false, upper = false, digit = false, symbol = false, other = false;
  for (let i = 0; i < password.length; i++) {
    const c = password.charCodeAt(i);
    if (c >= 97 && c <= 122) lower = true;
    else if (c >= 65 && c <= 90) upper = true;
    else if (c >= 48 && c <= 57) digit = true;
    else if (c >= 32 && c <= 126) symbol = true;
    else other = true;
  }
  const size = (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) + (symbol ? 33 : 0) + (other ? 100 : 0);
  return Math.max(size, 2);
}

/** The estimate in whole bits; personal: name, mailbox, organisation (any may be null). */
export function bits(password, ...personal) {
  if (!password) {
    return 0;
  }
  const lower = asciiLower(password);
  const length = lower.length;
  const covered = new Array(length).fill(false);
  let found = 0;
  for (const word of words(personal)) {
    let from = 0;
    let at;
    while ((at = lower.indexOf(word, from)) >= 0) {
      let free = true;
      for (let i = at; i < at + word.length; i++) {
        free = free && !covered[i];
      }
      if (free) {
        for (let i = at; i < at + word.length; i++) {
          covered[i] = true;
        }
        found++;
      }
      from = at + 1;
    }
  }
  let effective = 0;
  for (let i = 0; i < length; i++) {
    if (covered[i]) {
      continue;
    }
    if (i > 0 && !covered[i - 1] && follows(lower.charAt(i - 1), lower.charAt(i))) {
      continue;
    }
    effective++;
  }
  const perCharacter = Math.log(pool(password)) / Math.log(2);
  return Math.floor(effective * perCharacter + found * WORD_BITS);
}

/** Wires a password field to a meter and a live text, when the page has them. */
export function attachMeter(input, meter, text, personal) {
  const update = () => {
    const value = input.value;
    const estimate = bits(value, ...personal());
    meter.value = Math.min(estimate, REQUIRED_BITS * 1.5);
    if (!value) {
      text.textContent = "Choose a password of at least " + REQUIRED_BITS + " bits: five or more random words work well.";
    } else if (estimate < REQUIRED_BITS) {
      text.textContent = "Too easy to guess: about " + estimate + " bits of " + REQUIRED_BITS
        + " needed. Add more random words; leave out your name, common words and keyboard runs.";
    } else {
      text.textContent = "Strong enough: about " + estimate + " bits.";
    }
    input.setCustomValidity(value && estimate < REQUIRED_BITS ? text.textContent : "");
  };
  input.addEventListener("input", update);
  update();
}
