/** Where the tab keeps the ballot on its way (see `PendingBallot`): sessionStorage, per election. */
import { parsePendingBallot, type PendingBallot } from './receipt';

const PREFIX = 'viaduc.ballot.';

export function loadPending(election: string): PendingBallot | null {
  try {
    return parsePendingBallot(sessionStorage.getItem(PREFIX + election), election);
  } catch {
    return null; // storage disabled
  }
}

export function savePending(ballot: PendingBallot): void {
  try {
    sessionStorage.setItem(PREFIX + ballot.election, JSON.stringify(ballot));
  } catch {
    // storage full or disabled: the ballot still goes out from this page
  }
}

export function clearPending(election: string): void {
  try {
    sessionStorage.removeItem(PREFIX + election);
  } catch {
    // storage disabled: nothing was kept
  }
}
