/** The stage as every screen shows it, and the countdown before a session starts. Pure. */
import type { Stage, StageEvent } from './live';

export const UPCOMING: Stage = { state: 'upcoming', break_message: null, pinned: null };

export function applyStageEvent(_stage: Stage, event: StageEvent): Stage {
  return event.data;
}

/** Whole minutes from `nowMs` until `startsAt`, or `null` once it has started. */
export function minutesUntil(startsAt: string, nowMs: number): number | null {
  const left = Date.parse(startsAt) - nowMs;
  return left > 0 ? Math.ceil(left / 60_000) : null;
}

/** A countdown in the largest sensible unit: days, then hours, then minutes. */
export function countdown(minutes: number): { unit: 'days' | 'hours' | 'minutes'; value: number } {
  if (minutes >= 48 * 60) return { unit: 'days', value: Math.floor(minutes / (24 * 60)) };
  if (minutes >= 120) return { unit: 'hours', value: Math.floor(minutes / 60) };
  return { unit: 'minutes', value: minutes };
}
