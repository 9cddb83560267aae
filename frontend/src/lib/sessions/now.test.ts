import { describe, expect, it } from 'vitest';
import { marksAt } from './now';

// Tuesday 8 December 2026 in Brussels (UTC+1): a plenary, two parallel workshops, lunch.
const PROGRAMME = [
  { id: 'opening', starts_at: '2026-12-08T08:30:00Z', ends_at: '2026-12-08T09:30:00Z' },
  { id: 'textile', starts_at: '2026-12-08T10:00:00Z', ends_at: '2026-12-08T11:30:00Z' },
  { id: 'energy', starts_at: '2026-12-08T10:00:00Z', ends_at: '2026-12-08T11:00:00Z' },
  { id: 'lunch', starts_at: '2026-12-08T11:30:00Z', ends_at: '2026-12-08T12:30:00Z' },
];

function marks(at: string): Record<string, unknown> {
  return Object.fromEntries(marksAt(PROGRAMME, Date.parse(at)));
}

describe('marksAt', () => {
  it('marks the first session next, days ahead, before the conference', () => {
    expect(marks('2026-12-02T06:00:00Z')).toEqual({ opening: { state: 'next', minutes: 8790 } });
  });

  it('marks the session under way live and the soonest start after it next', () => {
    expect(marks('2026-12-08T09:05:00Z')).toEqual({
      opening: { state: 'live' },
      textile: { state: 'next', minutes: 55 },
      energy: { state: 'next', minutes: 55 },
    });
  });

  it('counts a session live from its first minute and no longer at its end', () => {
    expect(marks('2026-12-08T10:00:00Z')).toEqual({
      textile: { state: 'live' },
      energy: { state: 'live' },
      lunch: { state: 'next', minutes: 90 },
    });
    expect(marks('2026-12-08T11:00:00Z')).toEqual({
      textile: { state: 'live' },
      lunch: { state: 'next', minutes: 30 },
    });
  });

  it('rounds the time until the next start up to a whole minute', () => {
    expect(marks('2026-12-08T11:29:30Z')).toEqual({
      textile: { state: 'live' },
      lunch: { state: 'next', minutes: 1 },
    });
  });

  it('marks nothing once the programme is over, or in an empty list', () => {
    expect(marks('2026-12-08T12:30:00Z')).toEqual({});
    expect(marksAt([], Date.parse('2026-12-08T10:00:00Z')).size).toBe(0);
  });
});
