/**
 * The browser's anchor on an election's audit chain. The chain alone shows that its entries
 * hold together, not that they are the ones there were: whoever rewrites the board can
 * recompute every hash. So a screen that watched the close keeps the chain's head it saw
 * then (`audit_head`, sent with every live change and every REST election), and the board
 * page checks that the published chain still holds that entry, followed by the reveal at
 * most. A board rewritten after the close then no longer matches what this browser saw.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Board, ElectionPhase } from '../api';

type AuditEntry = Board['audit'][number];

/** The chain's head as this browser saw it at (or first after) the close. */
export interface Anchor {
  head: string;
  phase: 'closed' | 'revealed';
}

/** The part of `Storage` the anchor needs, so tests can pass their own. */
export type AnchorStorage = Pick<Storage, 'getItem' | 'setItem'>;

/** The `prev_hash` of the first entry, as the server chains it. */
const GENESIS = '0'.repeat(64);
const HEX64 = /^[0-9a-f]{64}$/;

/** The only action the chain may add after the close. */
export const REVEAL_ACTION = 'election.revealed';

export function anchorKey(id: string): string {
  return `viaduc.election.${id}.anchor`;
}

function isAnchorPhase(phase: ElectionPhase): phase is Anchor['phase'] {
  return phase === 'closed' || phase === 'revealed';
}

/** The anchor stored for election `id`, or null (none, unreadable or malformed). */
export function anchorOf(storage: AnchorStorage, id: string): Anchor | null {
  let text: string | null;
  try {
    text = storage.getItem(anchorKey(id));
  } catch {
    return null; // storage disabled
  }
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<Anchor> | null;
    if (typeof value?.head === 'string' && HEX64.test(value.head) && (value.phase === 'closed' || value.phase === 'revealed')) {
      return { head: value.head, phase: value.phase };
    }
  } catch {
    // not JSON: treated as no anchor
  }
  return null;
}

/**
 * Keeps `head` as election `id`'s anchor if the election is closed or revealed and no anchor
 * is stored yet. The first one seen wins and is never overwritten: a later head could come
 * from a server that has since rewritten the chain, which is what the anchor is there to catch.
 * Returns the anchor now stored (null before the close, or without storage).
 */
export function rememberAnchor(storage: AnchorStorage, id: string, head: string, phase: ElectionPhase): Anchor | null {
  if (!isAnchorPhase(phase) || !HEX64.test(head)) return null;
  const stored = anchorOf(storage, id);
  if (stored) return stored;
  const anchor: Anchor = { head, phase };
  try {
    storage.setItem(anchorKey(id), JSON.stringify(anchor));
  } catch {
    return null; // storage disabled or full: this browser simply keeps no anchor
  }
  return anchor;
}

/** This browser's `localStorage`, or null where reading it throws (storage disabled). */
export function browserStorage(): AnchorStorage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

/** `rememberAnchor` in this browser, for an election as REST or the live room sends it. */
export function rememberSeen(election: { id: string; audit_head: string; phase: ElectionPhase }): void {
  const storage = browserStorage();
  if (storage) rememberAnchor(storage, election.id, election.audit_head, election.phase);
}

/**
 * The place (1 for the first entry: the seq it should have) of the first entry that breaks
 * the chain's own links (a seq out of order, a `prev_hash` that is not the hash before it,
 * or a hash that is not `sha256(prev_hash || body)`), or null when they all hold.
 */
export function chainBreak(audit: readonly AuditEntry[]): number | null {
  let prev = GENESIS;
  for (const [i, entry] of audit.entries()) {
    const hash = bytesToHex(sha256(utf8ToBytes(entry.prev_hash + entry.body)));
    if (entry.seq !== i + 1 || entry.prev_hash !== prev || entry.hash !== hash) return i + 1;
    prev = entry.hash;
  }
  return null;
}

/** An entry's `action`, or null when its body is not JSON naming one. */
export function actionOf(entry: AuditEntry): string | null {
  try {
    const action = (JSON.parse(entry.body) as { action?: unknown } | null)?.action;
    return typeof action === 'string' ? action : null;
  } catch {
    return null;
  }
}

/** What the board's chain says against this browser's anchor. */
export type AnchorCheck =
  /** No anchor: this browser did not watch the close. */
  | { kind: 'unwatched' }
  /** The chain holds the anchor, linked from its start, and after it the reveal at most (nothing after a revealed anchor). */
  | { kind: 'kept'; anchor: Anchor }
  /** No entry of the chain, linked from its start, has the anchor's hash. */
  | { kind: 'rewritten'; anchor: Anchor }
  /** The anchor is there, but other entries than the reveal follow it (their actions). */
  | { kind: 'extended'; anchor: Anchor; actions: (string | null)[] };

/** Checks `board`'s audit chain against `anchor` (see `AnchorCheck`). */
export function checkAnchor(board: Board, anchor: Anchor | null): AnchorCheck {
  if (!anchor) return { kind: 'unwatched' };
  const at = board.audit.findIndex((e) => e.hash === anchor.head);
  // The anchor's hash pins the entries before it only if they link up to it.
  const broken = chainBreak(board.audit);
  if (at < 0 || (broken !== null && broken <= at + 1)) return { kind: 'rewritten', anchor };
  // Only the reveal comes after the close; an anchor taken once revealed is the last entry.
  const allowed = anchor.phase === 'closed' ? 1 : 0;
  const actions = board.audit.slice(at + 1).map(actionOf);
  if (actions.length > allowed || actions.some((a) => a !== REVEAL_ACTION)) return { kind: 'extended', anchor, actions };
  return { kind: 'kept', anchor };
}

/** This browser's anchor for election `id`, or null. */
export function seenAnchor(id: string): Anchor | null {
  const storage = browserStorage();
  return storage ? anchorOf(storage, id) : null;
}
