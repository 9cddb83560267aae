/**
 * The voting booth's choice as plain data: plurality's one candidate, or a ranking the
 * voter builds with buttons (add, move up, move down, remove), and the ballot it makes.
 */
import type { ElectionMethod } from '../api';

export function addToRanking(ranking: readonly string[], id: string): string[] {
  return ranking.includes(id) ? [...ranking] : [...ranking, id];
}

export function removeFromRanking(ranking: readonly string[], id: string): string[] {
  return ranking.filter((x) => x !== id);
}

/** Moves `id` one place up (`-1`) or down (`+1`); at an end it stays. */
export function moveInRanking(ranking: readonly string[], id: string, by: -1 | 1): string[] {
  const at = ranking.indexOf(id);
  const to = at + by;
  if (at < 0 || to < 0 || to >= ranking.length) return [...ranking];
  const out = [...ranking];
  [out[at], out[to]] = [out[to]!, out[at]!];
  return out;
}

/** The ballot's ranking, or null while the choice is not one the method accepts. */
export function ballotRanking(
  method: ElectionMethod,
  choice: string | null,
  ranking: readonly string[],
  candidates: readonly string[],
): string[] | null {
  if (method === 'plurality') return choice && candidates.includes(choice) ? [choice] : null;
  const valid = ranking.length > 0 && ranking.every((id) => candidates.includes(id)) && new Set(ranking).size === ranking.length;
  return valid ? [...ranking] : null;
}
