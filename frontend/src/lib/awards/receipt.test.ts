import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  encodeCrockford,
  formatReceipt,
  isReceiptCode,
  newReceipt,
  normaliseReceipt,
  parsePendingBallot,
  receiptHash,
} from './receipt';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('Crockford base32', () => {
  it('encodes most significant bits first with the alphabet that has no I, L, O or U', () => {
    expect(encodeCrockford(bytes('f'))).toBe('CR');
    expect(encodeCrockford(bytes('foobar'))).toBe('CSQPYRK1E8');
    expect(encodeCrockford(new Uint8Array(20))).toBe('0'.repeat(32));
    expect(encodeCrockford(new Uint8Array(20).fill(255))).toBe('Z'.repeat(32));
  });
});

describe('receipt codes', () => {
  it('are 32 symbols from 20 random bytes, shown in groups of four', () => {
    const receipt = newReceipt((b) => b.fill(255));
    expect(receipt.code).toBe('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
    expect(receipt.hash).toBe(createHash('sha256').update('Z'.repeat(32)).digest('hex'));
    const random = newReceipt();
    expect(random.code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(random.code).not.toBe(newReceipt().code);
  });

  it('hash the code as typed back in any case, with or without dashes and spaces', () => {
    const code = '7K3M-9Q2W-X4RT-8PZN-B5VC-1HJD-6GFE-0ASY';
    const want = createHash('sha256').update('7K3M9Q2WX4RT8PZNB5VC1HJD6GFE0ASY').digest('hex');
    expect(receiptHash(code)).toBe(want);
    expect(receiptHash(' 7k3m 9q2w-x4rt8pzn b5vc-1hjd-6gfe-0asy ')).toBe(want);
    // O, I and L are read as 0 and 1, the symbols they look like.
    expect(receiptHash('7K3M-9Q2W-X4RT-8PZN-B5VC-IHJD-6GFE-OASY')).toBe(want);
    expect(normaliseReceipt('ab-cd ef')).toBe('ABCDEF');
    expect(formatReceipt('7k3m9q2wx4rt8pznb5vc1hjd6gfe0asy')).toBe(code);
  });

  it('are recognised only whole', () => {
    expect(isReceiptCode('7K3M-9Q2W-X4RT-8PZN-B5VC-1HJD-6GFE-0ASY')).toBe(true);
    expect(isReceiptCode('7K3M-9Q2W-X4RT-8PZN-B5VC-1HJD-6GFE')).toBe(false);
    expect(isReceiptCode('7K3M-9Q2W-X4RT-8PZN-B5VC-1HJD-6GFE-0ASU')).toBe(false);
  });
});

describe('the pending ballot in sessionStorage', () => {
  it('is read back only for its own election, and only when its hash fits its code', () => {
    const { code, hash } = newReceipt((b) => b.fill(7));
    const stored = JSON.stringify({ election: 'e1', code, hash, ranking: ['c1'], recorded: false });
    expect(parsePendingBallot(stored, 'e1')).toEqual({ election: 'e1', code, hash, ranking: ['c1'], recorded: false });
    expect(parsePendingBallot(stored, 'e2')).toBeNull();
    expect(parsePendingBallot(JSON.stringify({ election: 'e1', code, hash: 'f'.repeat(64), ranking: ['c1'] }), 'e1')).toBeNull();
    expect(parsePendingBallot(JSON.stringify({ election: 'e1', code, hash, ranking: [] }), 'e1')).toBeNull();
    expect(parsePendingBallot('{not json', 'e1')).toBeNull();
    expect(parsePendingBallot(null, 'e1')).toBeNull();
  });
});
