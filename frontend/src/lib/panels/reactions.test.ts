import { describe, expect, it } from 'vitest';
import { burstTotal, floatersFor, MAX_FLOATERS, REACTIONS } from './reactions';

describe('floatersFor', () => {
  it('floats one emoji per person for a few reactions', () => {
    const floaters = floatersFor({ clap: 2, heart: 1 }, () => 0.5);
    expect(floaters.map((f) => f.emoji)).toEqual(['👏', '👏', '❤️']);
    expect(floaters[0]).toEqual({ emoji: '👏', left: 50, delay: 250 });
  });

  it('grows slowly with the count and never exceeds the cap', () => {
    const few = floatersFor({ clap: 12 }).length;
    const many = floatersFor({ clap: 900 }).length;
    expect(few).toBeGreaterThan(3);
    expect(many).toBeGreaterThan(few);
    expect(many).toBeLessThanOrEqual(MAX_FLOATERS);
    expect(floatersFor({ clap: 900, heart: 900, laugh: 900 }).length).toBe(MAX_FLOATERS);
  });

  it('ignores unknown keys and zero counts', () => {
    expect(floatersFor({ poop: 5, clap: 0 })).toEqual([]);
  });
});

describe('the fixed set', () => {
  it('has five reactions, each with an emoji', () => {
    expect(REACTIONS.map((r) => r.reaction)).toEqual(['clap', 'heart', 'laugh', 'thinking', 'thumbs_up']);
    expect(burstTotal({ clap: 2, heart: 3 })).toBe(5);
  });
});
