import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { Board } from '../api';
import { anchorKey, anchorOf, chainBreak, checkAnchor, rememberAnchor, type AnchorStorage } from './anchor';

const E = '00000000-0000-0000-0000-0000000000e1';

/** A storage like `localStorage`, in memory. */
function memory(): AnchorStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

/** A chain of entries with these actions, linked as the server links them. */
function chain(actions: string[]): Board['audit'] {
  let prev = '0'.repeat(64);
  return actions.map((action, i) => {
    const body = JSON.stringify({ seq: i + 1, election: E, at: '2026-05-04T10:00:00Z', actor: null, action, detail: {} });
    const hash = bytesToHex(sha256(utf8ToBytes(prev + body)));
    const entry = { seq: i + 1, body, prev_hash: prev, hash };
    prev = hash;
    return entry;
  });
}

const UNTIL_CLOSE = ['election.created', 'election.shortlist', 'candidate.added', 'election.opened', 'election.closed'];

function board(actions: string[]): Board {
  return {
    format: 'viaduc-election-board/1',
    election: { id: E, conference: 'ecc-2026', title: { en: 'Cluster Manager of the Year' }, method: 'plurality', roll_size: 5, candidates: [] },
    ballots: [],
    result: { method: 'plurality', ballots: 0, winner: null, tie_broken_by_lot: false, rounds: [] },
    audit: chain(actions),
  };
}

const published = board([...UNTIL_CLOSE, 'election.revealed']);
const atClose = published.audit[4]!.hash;

describe('the anchor', () => {
  it('is stored at the close, once, and never overwritten', () => {
    const storage = memory();
    expect(rememberAnchor(storage, E, published.audit[3]!.hash, 'voting')).toBeNull();
    expect(storage.items.size).toBe(0);
    expect(rememberAnchor(storage, E, atClose, 'closed')).toEqual({ head: atClose, phase: 'closed' });
    const later = published.audit[5]!.hash;
    expect(rememberAnchor(storage, E, later, 'revealed')).toEqual({ head: atClose, phase: 'closed' });
    expect(anchorOf(storage, E)).toEqual({ head: atClose, phase: 'closed' });
    expect(JSON.parse(storage.items.get(`viaduc.election.${E}.anchor`)!)).toEqual({ head: atClose, phase: 'closed' });
  });

  it('is first taken at the reveal by a screen that did not see the close', () => {
    const storage = memory();
    const head = published.audit[5]!.hash;
    expect(rememberAnchor(storage, E, head, 'revealed')).toEqual({ head, phase: 'revealed' });
    expect(checkAnchor(published, anchorOf(storage, E))).toEqual({ kind: 'kept', anchor: { head, phase: 'revealed' } });
  });

  it('reads a malformed stored value as no anchor, and survives a storage that refuses', () => {
    const storage = memory();
    storage.setItem(anchorKey(E), '{"head":"not a hash","phase":"closed"}');
    expect(anchorOf(storage, E)).toBeNull();
    const refusing: AnchorStorage = {
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(rememberAnchor(refusing, E, atClose, 'closed')).toBeNull();
  });
});

describe('checking the board against the anchor', () => {
  const anchor = { head: atClose, phase: 'closed' } as const;

  it('finds the state seen at the close, followed by the reveal only', () => {
    expect(chainBreak(published.audit)).toBeNull();
    expect(checkAnchor(published, anchor)).toEqual({ kind: 'kept', anchor });
    // Looked at before the reveal entry was there (the board is published with it, but the check does not need it).
    expect(checkAnchor(board(UNTIL_CLOSE), anchor)).toEqual({ kind: 'kept', anchor });
  });

  it('says rewritten when no entry has the anchor’s hash, every hash recomputed', () => {
    // Another candidate added before the close, the whole chain rehashed: it links up, but differs.
    const rewritten = board(['election.created', 'election.shortlist', 'candidate.added', 'candidate.added', 'election.opened', 'election.closed', 'election.revealed']);
    expect(chainBreak(rewritten.audit)).toBeNull();
    expect(checkAnchor(rewritten, anchor)).toEqual({ kind: 'rewritten', anchor });
  });

  it('says rewritten when an entry before the anchor was changed without relinking', () => {
    const tampered = board([...UNTIL_CLOSE, 'election.revealed']);
    tampered.audit[2] = { ...tampered.audit[2]!, body: tampered.audit[2]!.body.replace('candidate.added', 'candidate.removed') };
    expect(chainBreak(tampered.audit)).toBe(3);
    expect(checkAnchor(tampered, anchor)).toEqual({ kind: 'rewritten', anchor });
  });

  it('flags entries after the anchor other than the reveal', () => {
    const extended = board([...UNTIL_CLOSE, 'candidate.added', 'election.revealed']);
    expect(checkAnchor(extended, anchor)).toEqual({ kind: 'extended', anchor, actions: ['candidate.added', 'election.revealed'] });
    const twice = board([...UNTIL_CLOSE, 'election.revealed', 'election.revealed']);
    expect(checkAnchor(twice, anchor)).toMatchObject({ kind: 'extended' });
    const revealedAnchor = { head: published.audit[4]!.hash, phase: 'revealed' } as const;
    expect(checkAnchor(published, revealedAnchor)).toEqual({ kind: 'extended', anchor: revealedAnchor, actions: ['election.revealed'] });
  });

  it('says unwatched without an anchor', () => {
    expect(checkAnchor(published, null)).toEqual({ kind: 'unwatched' });
    expect(checkAnchor(published, anchorOf(memory(), E))).toEqual({ kind: 'unwatched' });
  });
});
