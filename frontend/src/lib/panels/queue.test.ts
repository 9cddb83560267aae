import { describe, expect, it } from 'vitest';
import type { ModeratedQuestion, RaisedHand } from './live';
import { onStage, stageQueue } from './queue';

function question(id: string, author: string, at: string, status: ModeratedQuestion['status'] = 'approved'): ModeratedQuestion {
  return {
    id,
    body: `question ${id}`,
    language: 'en',
    author_id: author,
    author_name: author.toUpperCase(),
    anonymous: false,
    status,
    edited: false,
    merged_into: null,
    votes: 0,
    asked_at: at,
  };
}

function hand(user: string, at: string, status: RaisedHand['status'] = 'raised'): RaisedHand {
  return { user_id: user, name: user.toUpperCase(), status, raised_at: at };
}

const questions = [
  question('q1', 'ana', '2026-12-08T09:01:00Z'),
  question('q2', 'bo', '2026-12-08T09:03:00Z'),
  question('q3', 'cy', '2026-12-08T09:00:00Z', 'pending'),
  question('q4', 'dee', '2026-12-08T09:00:30Z', 'answering'),
];
const hands = [hand('eve', '2026-12-08T09:02:00Z'), hand('fay', '2026-12-08T09:00:10Z', 'invited')];

describe('stageQueue', () => {
  it('merges approved questions and raised hands in the order they came', () => {
    expect(stageQueue(questions, hands, new Set(), false).map((i) => i.key)).toEqual(['q:q1', 'h:eve', 'q:q2']);
  });

  it('with the fairness rule, puts people who had the floor after the others', () => {
    const heard = new Set(['ana']);
    const queue = stageQueue(questions, hands, heard, true);
    expect(queue.map((i) => i.key)).toEqual(['h:eve', 'q:q2', 'q:q1']);
    expect(queue.map((i) => i.heard)).toEqual([false, false, true]);
    // Without the rule, the same people in the order they came.
    expect(stageQueue(questions, hands, heard, false).map((i) => i.key)).toEqual(['q:q1', 'h:eve', 'q:q2']);
  });

  it('shows who is on stage now apart', () => {
    expect(onStage(questions, hands).map((i) => i.key)).toEqual(['q:q4', 'h:fay']);
  });
});
