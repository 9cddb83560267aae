/**
 * Casting a ballot until the server has answered: a lost connection (or a proxy's 502–504)
 * is retried with the SAME receipt and choice, which the server records once; the
 * practically impossible clash with another voter's receipt gets a new code. Every step is
 * saved first, so a reload picks up where this left off. Injected dependencies keep it
 * testable without a network or a clock.
 */
import { ApiError } from '../api';
import { newReceipt as makeReceipt, type PendingBallot, type Receipt } from './receipt';

export type CastOutcome =
  /** The server answered 200: the ballot is in the count. */
  | { kind: 'recorded'; ballot: PendingBallot }
  /** The server could not be reached, after the retries: send the same ballot again later. */
  | { kind: 'unsent'; ballot: PendingBallot }
  /** The person voted before with another receipt. */
  | { kind: 'already' }
  /** Voting is not open (any more). */
  | { kind: 'closed' }
  /** Not on the roll. */
  | { kind: 'not_on_roll' }
  /** Refused for another reason (a ranking that no longer fits, say). */
  | { kind: 'refused'; error: unknown };

export interface CastDeps {
  send(ballot: PendingBallot): Promise<unknown>;
  save(ballot: PendingBallot): void;
  sleep?(ms: number): Promise<void>;
  newReceipt?(): Receipt;
  /** The waits before each retry of a lost request. */
  delays?: readonly number[];
}

export const RETRY_DELAYS_MS: readonly number[] = [1_000, 2_000, 4_000];

/** A lost request, not an answer: it may be sent again. */
export function isRetryable(e: unknown): boolean {
  return e instanceof ApiError && (e.code === 'network' || e.status === 502 || e.status === 503 || e.status === 504);
}

function takenField(e: unknown): string | null {
  return e instanceof ApiError && e.status === 409 ? (e.fields.find((f) => f.code === 'taken')?.field ?? null) : null;
}

export async function castBallot(ballot: PendingBallot, deps: CastDeps): Promise<CastOutcome> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const delays = deps.delays ?? RETRY_DELAYS_MS;
  const fresh = deps.newReceipt ?? (() => makeReceipt());
  let current = ballot;
  let lost = 0;
  let clashes = 0;
  deps.save(current);
  for (;;) {
    try {
      await deps.send(current);
      current = { ...current, recorded: true };
      deps.save(current);
      return { kind: 'recorded', ballot: current };
    } catch (e) {
      if (isRetryable(e)) {
        if (lost >= delays.length) return { kind: 'unsent', ballot: current };
        await sleep(delays[lost++]!);
        continue;
      }
      const taken = takenField(e);
      if (taken === 'receipt_hash' && clashes++ < 3) {
        const receipt = fresh();
        current = { ...current, code: receipt.code, hash: receipt.hash };
        deps.save(current);
        continue;
      }
      if (taken === 'ballot') return { kind: 'already' };
      if (e instanceof ApiError && e.status === 409) return { kind: 'closed' };
      if (e instanceof ApiError && e.status === 403) return { kind: 'not_on_roll' };
      return { kind: 'refused', error: e };
    }
  }
}
