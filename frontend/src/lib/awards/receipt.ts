/**
 * The voter's receipt: a code the browser makes and only the voter keeps (20 random bytes
 * in Crockford base32, shown as groups of four), and its SHA-256, the only part the server
 * ever sees. The board lists every ballot by that hash, so the code finds one's own ballot.
 * Hashed with `@noble/hashes`: `crypto.subtle` is missing on plain-http hosts.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** Crockford's base32 alphabet: no I, L, O or U, so a code read aloud is not misheard. */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const RECEIPT_BYTES = 20;
/** 20 bytes are 160 bits: exactly 32 symbols of 5 bits. */
export const RECEIPT_CHARS = 32;

/** Bytes in Crockford base32, most significant bit first; a last partial symbol is padded with zeros. */
export function encodeCrockford(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = ((buffer << 8) | byte) & 0xfff;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += CROCKFORD[(buffer << (5 - bits)) & 31];
  return out;
}

/** `ABCD…` → `ABCD-EFGH-…`, as the code is shown and printed. */
export function formatReceipt(code: string): string {
  return normaliseReceipt(code).match(/.{1,4}/g)?.join('-') ?? '';
}

/**
 * The code as it is hashed: upper case, without dashes or spaces; the letters Crockford
 * reads as digits (O → 0, I and L → 1) are read so, since the code never holds them.
 */
export function normaliseReceipt(input: string): string {
  return input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
}

/** Whether `input` is a whole receipt code (once normalised). */
export function isReceiptCode(input: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{32}$/.test(normaliseReceipt(input));
}

/** The receipt hash the server stores: SHA-256, lower-case hex, of the normalised code. */
export function receiptHash(code: string): string {
  return bytesToHex(sha256(utf8ToBytes(normaliseReceipt(code))));
}

export interface Receipt {
  /** Formatted, `XXXX-XXXX-…`. */
  code: string;
  hash: string;
}

/** A fresh receipt from `random` (the browser's `crypto.getRandomValues` by default). */
export function newReceipt(random: (bytes: Uint8Array) => Uint8Array = (b) => crypto.getRandomValues(b)): Receipt {
  const code = formatReceipt(encodeCrockford(random(new Uint8Array(RECEIPT_BYTES))));
  return { code, hash: receiptHash(code) };
}

/**
 * A ballot on its way, kept in the tab's sessionStorage from the moment the voter confirms
 * until they have seen it recorded: a reload or a lost connection retries with the same
 * receipt and choice (the server counts that once), and a recorded ballot's code is still
 * there to be copied.
 */
export interface PendingBallot {
  election: string;
  code: string;
  hash: string;
  ranking: string[];
  /** The server answered 200. */
  recorded: boolean;
}

/** A stored ballot of `election`, or null for anything else (another election's, garbage). */
export function parsePendingBallot(stored: string | null, election: string): PendingBallot | null {
  try {
    const value = JSON.parse(stored ?? 'null') as Partial<PendingBallot> | null;
    if (
      value?.election !== election ||
      typeof value.code !== 'string' ||
      !isReceiptCode(value.code) ||
      value.hash !== receiptHash(value.code) ||
      !Array.isArray(value.ranking) ||
      value.ranking.length === 0 ||
      !value.ranking.every((id) => typeof id === 'string')
    ) {
      return null;
    }
    return { election, code: formatReceipt(value.code), hash: value.hash, ranking: value.ranking, recorded: value.recorded === true };
  } catch {
    return null;
  }
}

/** The small text file a voter may save beside the code. */
export function receiptFile(lines: { title: string; code: string; where: string; intro: string }): string {
  return `${lines.title}\n\n${lines.intro}\n\n    ${lines.code}\n\n${lines.where}\n`;
}
