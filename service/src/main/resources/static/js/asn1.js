// A small DER writer and reader: just what CertFlow's PKCS#10 and PKCS#12 builders need.
// Served by CertFlow itself (never from a CDN); no build step, plain ES module.
//
// Writer: every function returns a Uint8Array holding one complete DER element, so
// structures nest as plain calls: seq(int(0), oid('1.2.840.113549.1.7.1')).
// Reader: read(bytes) returns one element ({tag, value, bytes}); children(element) the
// elements inside a constructed one. Lengths are checked against the buffer, never trusted.

const encoder = new TextEncoder();

/** Joins byte arrays (Uint8Array, ArrayBuffer or arrays of numbers). */
export function concat(...parts) {
  const arrays = parts.map(toBytes);
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return out;
}

/** A Uint8Array view of bytes given as Uint8Array, ArrayBuffer, typed array or number array. */
export function toBytes(data) {
  if (data instanceof Uint8Array) {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return new Uint8Array(data);
  }
  if (ArrayBuffer.isView(data)) {
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  if (Array.isArray(data)) {
    return Uint8Array.from(data);
  }
  throw new TypeError('expected bytes');
}

/** DER length octets: short form below 128, else 0x80|n followed by n big-endian bytes. */
export function encodeLength(length) {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new RangeError('bad DER length ' + length);
  }
  if (length < 0x80) {
    return Uint8Array.of(length);
  }
  const octets = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) {
    octets.unshift(n % 256);
  }
  return Uint8Array.from([0x80 | octets.length, ...octets]);
}

/** One element: tag byte, length, contents (the contents concatenated). */
export function tlv(tag, ...contents) {
  const body = concat(...contents);
  return concat(Uint8Array.of(tag), encodeLength(body.length), body);
}

export const seq = (...items) => tlv(0x30, ...items);

/** SET (OF): DER sorts the encoded elements, shorter-is-smaller as if padded with zeros. */
export function set(...items) {
  const sorted = items.map(toBytes).sort(compareBytes);
  return tlv(0x31, ...sorted);
}

function compareBytes(a, b) {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return a.length - b.length;
}

/**
 * INTEGER from a non-negative number or from unsigned big-endian bytes: leading zero
 * bytes are dropped and one 0x00 is put back where the high bit is set, so the value
 * stays positive (ECDSA r and s, RSA moduli).
 */
export function int(value) {
  let bytes;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new RangeError('int() takes non-negative safe integers');
    }
    const octets = [];
    for (let n = value; n > 0; n = Math.floor(n / 256)) {
      octets.unshift(n % 256);
    }
    bytes = Uint8Array.from(octets);
  } else {
    bytes = toBytes(value);
  }
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) {
    start++;
  }
  bytes = bytes.subarray(start);
  if (bytes.length === 0) {
    bytes = Uint8Array.of(0);
  }
  if (bytes[0] & 0x80) {
    bytes = concat(Uint8Array.of(0), bytes);
  }
  return tlv(0x02, bytes);
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted) {
  const arcs = dotted.split('.').map((s) => {
    if (!/^\d+$/.test(s)) {
      throw new RangeError('bad OID ' + dotted);
    }
    return Number(s);
  });
  if (arcs.length < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] > 39)) {
    throw new RangeError('bad OID ' + dotted);
  }
  const out = [];
  const pushArc = (n) => {
    const group = [n % 128];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) {
      group.unshift(0x80 | (n % 128));
    }
    out.push(...group);
  };
  pushArc(arcs[0] * 40 + arcs[1]);
  arcs.slice(2).forEach(pushArc);
  return tlv(0x06, Uint8Array.from(out));
}

export const nul = () => Uint8Array.of(0x05, 0x00);
export const octets = (bytes) => tlv(0x04, bytes);
/** BIT STRING of whole bytes (no unused bits). */
export const bits = (bytes) => tlv(0x03, Uint8Array.of(0), bytes);
export const utf8 = (text) => tlv(0x0c, encoder.encode(text));

/** BMPString: UTF-16 big-endian code units, as PKCS#12 friendlyName uses. */
export function bmp(text) {
  return tlv(0x1e, utf16be(text));
}

export function utf16be(text) {
  const out = new Uint8Array(text.length * 2);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 * i] = unit >> 8;
    out[2 * i + 1] = unit & 0xff;
  }
  return out;
}

/** [n] EXPLICIT: a constructed context tag around complete elements. */
export const explicit = (n, ...items) => tlv(0xa0 | n, ...items);
/** [n] IMPLICIT for primitive contents (the contents only, no inner tag). */
export const implicitPrimitive = (n, bytes) => tlv(0x80 | n, bytes);

/** AlgorithmIdentifier with the given parameters (none when omitted). */
export const algorithm = (dotted, ...parameters) => seq(oid(dotted), ...parameters);

// ----- Reader -----

/**
 * Reads the element at offset. Returns {tag, constructed, start, headerLength, length,
 * end, value, bytes}: value is the contents, bytes the whole element (views into input).
 * Throws on truncation, indefinite lengths, non-minimal lengths and multi-byte tags.
 */
export function read(input, offset = 0) {
  const data = toBytes(input);
  if (offset + 2 > data.length) {
    throw new RangeError('DER: truncated element at ' + offset);
  }
  const tag = data[offset];
  if ((tag & 0x1f) === 0x1f) {
    throw new RangeError('DER: multi-byte tags are not supported');
  }
  let at = offset + 1;
  let length = data[at++];
  if (length === 0x80) {
    throw new RangeError('DER: indefinite length is not DER');
  }
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 6 || at + count > data.length) {
      throw new RangeError('DER: bad length at ' + offset);
    }
    length = 0;
    for (let i = 0; i < count; i++) {
      length = length * 256 + data[at++];
    }
    if (length < 0x80 || data[offset + 2] === 0) {
      throw new RangeError('DER: non-minimal length at ' + offset);
    }
  }
  const end = at + length;
  if (end > data.length) {
    throw new RangeError('DER: element at ' + offset + ' runs past the end of the data');
  }
  return {
    tag,
    constructed: (tag & 0x20) !== 0,
    start: offset,
    headerLength: at - offset,
    length,
    end,
    value: data.subarray(at, end),
    bytes: data.subarray(offset, end),
  };
}

/** Reads exactly one element filling the whole input. */
export function readAll(input) {
  const data = toBytes(input);
  const element = read(data, 0);
  if (element.end !== data.length) {
    throw new RangeError('DER: ' + (data.length - element.end) + ' trailing bytes');
  }
  return element;
}

/** The elements inside a constructed element, in order. */
export function children(element) {
  if (!element.constructed) {
    throw new RangeError('DER: tag 0x' + element.tag.toString(16) + ' is not constructed');
  }
  const out = [];
  for (let at = 0; at < element.value.length;) {
    const child = read(element.value, at);
    out.push(child);
    at = child.end;
  }
  return out;
}

/** The unsigned big-endian magnitude of an INTEGER element (leading 0x00 removed). */
export function readUnsigned(element) {
  if (element.tag !== 0x02) {
    throw new RangeError('DER: not an INTEGER');
  }
  let v = element.value;
  while (v.length > 1 && v[0] === 0) {
    v = v.subarray(1);
  }
  return v;
}

/** Dotted text of an OBJECT IDENTIFIER element. */
export function readOid(element) {
  if (element.tag !== 0x06) {
    throw new RangeError('DER: not an OBJECT IDENTIFIER');
  }
  const arcs = [];
  let n = 0;
  for (const b of element.value) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(n);
      n = 0;
    }
  }
  const first = arcs.shift();
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

// ----- Base64 and PEM -----

export function base64(bytes) {
  const data = toBytes(bytes);
  let text = '';
  for (let i = 0; i < data.length; i += 0x8000) {
    text += String.fromCharCode(...data.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

export function fromBase64(text) {
  const raw = atob(text.replace(/\s+/g, ''));
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    out[i] = raw.charCodeAt(i);
  }
  return out;
}

/** PEM text with 64-character lines and a final newline. */
export function pem(label, der) {
  const lines = base64(der).match(/.{1,64}/g) || [];
  return '-----BEGIN ' + label + '-----\n' + lines.join('\n') + '\n-----END ' + label + '-----\n';
}

/** The DER of every PEM block with this label, in order. */
export function pemBlocks(text, label) {
  const out = [];
  const pattern = new RegExp('-----BEGIN ' + label + '-----([A-Za-z0-9+/=\\s]*?)-----END ' + label + '-----', 'g');
  for (const m of text.matchAll(pattern)) {
    out.push(fromBase64(m[1]));
  }
  return out;
}

export function hex(bytes) {
  return Array.from(toBytes(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}
