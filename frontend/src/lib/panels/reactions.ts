/** Reactions: the fixed set, and how a burst of counts becomes a few floating emoji. Pure. */
import type { Reaction } from './live';

export const REACTIONS: { reaction: Reaction; emoji: string }[] = [
  { reaction: 'clap', emoji: '👏' },
  { reaction: 'heart', emoji: '❤️' },
  { reaction: 'laugh', emoji: '😂' },
  { reaction: 'thinking', emoji: '🤔' },
  { reaction: 'thumbs_up', emoji: '👍' },
];

/** The name of the server's pulse that carries reaction counts. */
export const REACTION_BURST = 'reaction.burst';

/** Most emoji floating from one burst, however many people reacted: the page stays light. */
export const MAX_FLOATERS = 12;

export interface Floater {
  emoji: string;
  /** Horizontal position, 0–100 % of the stage's width. */
  left: number;
  /** Start delay in ms, spreading a burst over its half second. */
  delay: number;
}

/**
 * The emoji to float for one burst: one per person for a few, then growing with the
 * logarithm of the count (900 claps is a wave, not 900 elements), at most `MAX_FLOATERS`
 * in all, shared between reactions by their counts. `random` picks positions.
 */
export function floatersFor(counts: Record<string, number>, random: () => number = Math.random): Floater[] {
  const out: Floater[] = [];
  for (const { reaction, emoji } of REACTIONS) {
    const count = counts[reaction] ?? 0;
    if (count <= 0) continue;
    const shown = count <= 3 ? count : Math.min(MAX_FLOATERS, 3 + Math.round(2 * Math.log2(count / 3)));
    for (let i = 0; i < shown; i++) out.push({ emoji, left: 5 + random() * 90, delay: Math.round(random() * 500) });
  }
  return out.slice(0, MAX_FLOATERS);
}

/** The total number of people in a burst, for the screen-reader summary. */
export function burstTotal(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}
