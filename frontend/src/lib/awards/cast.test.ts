import { describe, expect, it } from 'vitest';
import { ApiError } from '../api';
import { castBallot, type CastDeps } from './cast';
import { newReceipt, type PendingBallot } from './receipt';

const first = newReceipt((b) => b.fill(1));
const second = newReceipt((b) => b.fill(2));
const ballot: PendingBallot = { election: 'e1', code: first.code, hash: first.hash, ranking: ['c1'], recorded: false };
const network = new ApiError(0, 'network', 'Failed to fetch');
const taken = (field: string): ApiError =>
  new ApiError(409, 'conflict', 'taken', [{ field, code: 'taken', message: 'taken' } as ApiError['fields'][number]]);

/** A server that answers `answers` in turn (an error is thrown, anything else succeeds). */
function server(...answers: unknown[]): { deps: CastDeps; sent: PendingBallot[]; saved: PendingBallot[]; waits: number[] } {
  const sent: PendingBallot[] = [];
  const saved: PendingBallot[] = [];
  const waits: number[] = [];
  const deps: CastDeps = {
    send: async (b) => {
      sent.push(b);
      const answer = answers.shift();
      if (answer instanceof Error) throw answer;
      return answer;
    },
    save: (b) => saved.push(b),
    sleep: async (ms) => {
      waits.push(ms);
    },
    newReceipt: () => second,
    delays: [10, 20, 40],
  };
  return { deps, sent, saved, waits };
}

describe('casting a ballot', () => {
  it('is recorded only once the server answered, and saved before it is sent', async () => {
    const s = server({ receipt_hash: first.hash });
    const outcome = await castBallot(ballot, s.deps);
    expect(outcome).toEqual({ kind: 'recorded', ballot: { ...ballot, recorded: true } });
    expect(s.saved.map((b) => b.recorded)).toEqual([false, true]);
  });

  it('retries a lost request with the same receipt and choice', async () => {
    const s = server(network, network, { receipt_hash: first.hash });
    const outcome = await castBallot(ballot, s.deps);
    expect(outcome.kind).toBe('recorded');
    expect(s.sent.map((b) => [b.hash, b.ranking])).toEqual([
      [first.hash, ['c1']],
      [first.hash, ['c1']],
      [first.hash, ['c1']],
    ]);
    expect(s.waits).toEqual([10, 20]);
  });

  it('gives up after the retries, keeping the ballot to send again', async () => {
    const gateway = new ApiError(502, 'http_502', 'Bad Gateway');
    const s = server(network, gateway, network, network);
    const outcome = await castBallot(ballot, s.deps);
    expect(outcome).toEqual({ kind: 'unsent', ballot });
    expect(s.sent).toHaveLength(4);
  });

  it('makes a new receipt when the hash is another voter’s, and keeps the choice', async () => {
    const s = server(taken('receipt_hash'), {});
    const outcome = await castBallot(ballot, s.deps);
    expect(outcome).toEqual({ kind: 'recorded', ballot: { ...ballot, code: second.code, hash: second.hash, recorded: true } });
    expect(s.sent[1]?.ranking).toEqual(['c1']);
  });

  it('says why the server refused', async () => {
    expect(await castBallot(ballot, server(taken('ballot')).deps)).toEqual({ kind: 'already' });
    expect(await castBallot(ballot, server(new ApiError(409, 'conflict', 'voting is not open')).deps)).toEqual({ kind: 'closed' });
    expect(await castBallot(ballot, server(new ApiError(403, 'forbidden', 'not on the roll')).deps)).toEqual({ kind: 'not_on_roll' });
    const invalid = new ApiError(422, 'validation', 'bad ranking');
    expect(await castBallot(ballot, server(invalid).deps)).toEqual({ kind: 'refused', error: invalid });
  });
});
