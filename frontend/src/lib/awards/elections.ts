/**
 * The conference's elections as every screen follows them (the conference room's
 * `election` part and events), who may move an election on, and the result worded as bars
 * and rounds. Pure, so it can be unit-tested.
 */
import type { ConferenceRole, ElectionPhase, ElectionResult } from '../api';
import { countryName } from '../intl';
import type { ElectionEvent, ElectionLive, ElectionsSnapshot } from './live';

/** The phases in order; an election only moves forward, one step at a time. */
export const PHASES: readonly ElectionPhase[] = ['nominations', 'shortlist', 'voting', 'closed', 'revealed'];

export function nextPhase(phase: ElectionPhase): ElectionPhase | null {
  return PHASES[PHASES.indexOf(phase) + 1] ?? null;
}

const RANK: Record<ConferenceRole, number> = { attendee: 0, speaker: 1, moderator: 2, organiser: 3 };

/** Organisers close the nominations; moderators and organisers open, close and reveal the vote. */
export function mayMoveOn(phase: ElectionPhase, role: ConferenceRole | null | undefined): boolean {
  if (!role) return false;
  if (phase === 'nominations') return role === 'organiser';
  if (phase === 'revealed') return false;
  return RANK[role] >= RANK.moderator;
}

/** The room's elections from its snapshot. */
export function electionsFromSnapshot(state: unknown): ElectionLive[] {
  return (state as { election?: ElectionsSnapshot } | null)?.election?.elections ?? [];
}

/** Applies one room event; events of other features leave the list as it is. */
export function applyElectionEvent(list: ElectionLive[], name: string, data: unknown): ElectionLive[] {
  if (!name.startsWith('election.')) return list;
  const event = { name, data } as ElectionEvent;
  switch (event.name) {
    case 'election.changed': {
      const at = list.findIndex((e) => e.id === event.data.id);
      if (at < 0) return [...list, event.data];
      return list.map((e, i) => (i === at ? event.data : e));
    }
    case 'election.turnout': {
      const { id, turnout, roll_size } = event.data;
      return list.map((e) => (e.id === id ? { ...e, turnout, roll_size } : e));
    }
    default:
      return list;
  }
}

/**
 * The elections revealed in `next` that were seen, before, in another phase: the reveals
 * that happened while the page was open (or away and back), not those of long ago.
 */
export function newlyRevealed(before: ReadonlyMap<string, ElectionPhase>, next: readonly ElectionLive[]): ElectionLive[] {
  return next.filter((e) => e.phase === 'revealed' && before.has(e.id) && before.get(e.id) !== 'revealed');
}

/** The share of the roll that has voted, 0 to 100 (a bar's width); 0 without a roll. */
export function turnoutPercent(turnout: number | null | undefined, rollSize: number | null | undefined): number {
  if (!rollSize || !turnout) return 0;
  return Math.min(100, (100 * turnout) / rollSize);
}

/** Whole percentages of `votes` against `total`. */
export function percent(votes: number, total: number): number {
  return total > 0 ? Math.round((100 * votes) / total) : 0;
}

export interface Bar {
  id: string;
  name: string;
  votes: number;
  percent: number;
  winner: boolean;
}

/** The deciding round as bars, most votes first: plurality's one round, or ranked choice's last. */
export function resultBars(result: ElectionResult, names: ReadonlyMap<string, string>): Bar[] {
  const round = result.rounds.at(-1);
  if (!round) return [];
  const total = round.counts.reduce((sum, c) => sum + c.votes, 0);
  return round.counts.map((c) => ({
    id: c.candidate_id,
    name: names.get(c.candidate_id) ?? c.candidate_id,
    votes: c.votes,
    percent: percent(c.votes, total),
    winner: c.candidate_id === result.winner,
  }));
}

export interface RoundRow {
  id: string;
  name: string;
  winner: boolean;
  /** Per round: the votes, or null once eliminated. */
  votes: (number | null)[];
  /** The round (0-based) that eliminated the candidate, if any. */
  eliminatedIn: number | null;
}

/**
 * The run-off as a table: a row per candidate, the winner first, then those who lasted
 * longest (the last round's order, then each earlier round's eliminated, latest first).
 */
export function roundRows(result: ElectionResult, names: ReadonlyMap<string, string>): RoundRow[] {
  const order: string[] = [...(result.rounds.at(-1)?.counts.map((c) => c.candidate_id) ?? [])];
  for (let i = result.rounds.length - 1; i >= 0; i--) {
    const out = result.rounds[i]!.eliminated;
    if (out && !order.includes(out)) order.push(out);
  }
  for (const c of result.rounds[0]?.counts ?? []) if (!order.includes(c.candidate_id)) order.push(c.candidate_id);
  if (result.winner && order.includes(result.winner)) order.sort((a, b) => (a === result.winner ? -1 : b === result.winner ? 1 : 0));
  return order.map((id) => {
    const at = result.rounds.findIndex((r) => r.eliminated === id);
    return {
      id,
      name: names.get(id) ?? id,
      winner: id === result.winner,
      votes: result.rounds.map((r) => r.counts.find((c) => c.candidate_id === id)?.votes ?? null),
      eliminatedIn: at < 0 ? null : at,
    };
  });
}

/** Candidate id → name, from an election's candidates or a board's. */
export function namesOf(candidates: readonly { id: string; name: string }[]): Map<string, string> {
  return new Map(candidates.map((c) => [c.id, c.name]));
}

/** Initials for a candidate without a photo: `Ana Peeters` → `AP`. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words.at(-1)!] : words;
  return letters.map((w) => [...w][0]!.toLocaleUpperCase()).join('');
}

/** A country as given: a two-letter code is named in the reader's language, anything else kept. */
export function countryLabel(country: string, locale: string): string {
  const c = country.trim();
  return /^[A-Za-z]{2}$/.test(c) ? countryName(c, locale) : c;
}

/** A moment in the viewer's zone, with its day: `Tuesday 12 May 2026, 09:30`. */
export function formatMoment(iso: string, locale: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
