import { describe, expect, it } from 'vitest';
import { applyStageEvent, countdown, minutesUntil, UPCOMING } from './stage';

describe('stage', () => {
  it('takes the whole stage from each event', () => {
    const next = { state: 'break' as const, break_message: 'Back at 11:00', pinned: 'Slides' };
    expect(applyStageEvent(UPCOMING, { name: 'stage.changed', data: next })).toEqual(next);
  });

  it('counts down to the start in minutes, hours or days', () => {
    const start = '2026-12-08T09:00:00Z';
    expect(minutesUntil(start, Date.parse('2026-12-08T08:59:30Z'))).toBe(1);
    expect(minutesUntil(start, Date.parse('2026-12-08T09:00:00Z'))).toBeNull();
    expect(countdown(45)).toEqual({ unit: 'minutes', value: 45 });
    expect(countdown(119)).toEqual({ unit: 'minutes', value: 119 });
    expect(countdown(150)).toEqual({ unit: 'hours', value: 2 });
    expect(countdown(3 * 24 * 60 + 5)).toEqual({ unit: 'days', value: 3 });
  });
});
