import { describe, expect, it } from 'vitest';
import { backoffDelay, isFinalClose, RoomCursor } from './sync';

describe('backoffDelay', () => {
  it('grows exponentially with jitter and is capped', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(10, () => 1)).toBe(15_000);
    expect(backoffDelay(100, () => 0)).toBe(7500);
  });
});

describe('isFinalClose', () => {
  it('stops only for unsupported data and ended logins', () => {
    expect([1000, 1001, 1003, 1006, 4001, 4008, 4009].filter(isFinalClose)).toEqual([1003, 4001]);
  });
});

describe('RoomCursor', () => {
  it('subscribes without since until it holds state, then resumes', () => {
    const c = new RoomCursor();
    expect(c.subscribeMsg('session:a')).toEqual({ type: 'subscribe', room: 'session:a' });
    c.snapshot('e1', 41);
    expect(c.subscribeMsg('session:a')).toEqual({ type: 'subscribe', room: 'session:a', since: 41, epoch: 'e1' });
  });

  it('applies only the next seq, ignores older ones, flags gaps', () => {
    const c = new RoomCursor();
    expect(c.event(1)).toBe('gap');
    c.snapshot('e', 5);
    expect(c.event(5)).toBe('stale');
    expect(c.event(3)).toBe('stale');
    expect(c.event(6)).toBe('apply');
    expect(c.event(6)).toBe('stale');
    expect(c.event(8)).toBe('gap');
    expect(c.seq).toBe(6);
  });

  it('checks the head announced by subscribed', () => {
    const c = new RoomCursor();
    c.snapshot('e', 2);
    c.event(3);
    expect(c.subscribed('e', 3)).toBe('ok');
    expect(c.subscribed('e', 4)).toBe('gap');
    expect(c.subscribed('other', 3)).toBe('gap');
    c.reset();
    expect(c.subscribeMsg('r')).toEqual({ type: 'subscribe', room: 'r' });
  });
});
