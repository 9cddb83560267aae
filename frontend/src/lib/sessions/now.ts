/** Where the programme stands at a moment: which sessions are live, which start next. Pure. */
import { minutesUntil } from '../panels/stage';

/** What a session's card says about it at a moment. */
export type NowMark = { state: 'live' } | { state: 'next'; minutes: number };

interface Timed {
  id: string;
  starts_at: string;
  ends_at: string;
}

/**
 * The marks of `sessions` at `nowMs`: a session is live from its start (included) to its end
 * (excluded); the sessions with the soonest start after `nowMs` are next, all of them when
 * several start together. Sessions that have ended or start later get no mark.
 */
export function marksAt(sessions: readonly Timed[], nowMs: number): Map<string, NowMark> {
  const marks = new Map<string, NowMark>();
  let nextStart = Infinity;
  for (const s of sessions) {
    const start = Date.parse(s.starts_at);
    if (start > nowMs) nextStart = Math.min(nextStart, start);
    else if (nowMs < Date.parse(s.ends_at)) marks.set(s.id, { state: 'live' });
  }
  for (const s of sessions) {
    const minutes = Date.parse(s.starts_at) === nextStart ? minutesUntil(s.starts_at, nowMs) : null;
    if (minutes !== null) marks.set(s.id, { state: 'next', minutes });
  }
  return marks;
}
