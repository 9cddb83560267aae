// Generated from backend/src/awards/wire.rs by ts-rs. Do not edit.
// Regenerate: UPDATE_LIVE_TS=1 cargo test -p viaduc live_ts

export type ElectionEvent = { "name": "election.changed", "data": ElectionLive } | { "name": "election.turnout", "data": Turnout };

export type ElectionsSnapshot = { elections: Array<ElectionLive>, };

export type ElectionLive = { id: string, title: Record<string, string>, phase: Phase, method: Method, roll_size: number | null, turnout: number | null, result: ElectionResult | null, candidates: Array<CandidateName>, 
/**
 * The hash of the audit chain's last entry, as every screen saw it.
 */
audit_head: string, };

export type Turnout = { id: string, turnout: number, roll_size: number, };

export type Phase = "nominations" | "shortlist" | "voting" | "closed" | "revealed";

export type Method = "plurality" | "ranked";

export type ElectionResult = { method: Method, ballots: number, 
/**
 * None without ballots.
 */
winner: string | null, 
/**
 * A tie (for the win or an elimination) was broken by the lot.
 */
tie_broken_by_lot: boolean, rounds: Array<Round>, };

export type Round = { 
/**
 * The continuing candidates, most votes first.
 */
counts: Array<CandidateVotes>, 
/**
 * Who this round eliminated (none in the deciding round).
 */
eliminated: string | null, 
/**
 * Ballots with no continuing candidate left.
 */
exhausted: number, };

export type CandidateVotes = { candidate_id: string, votes: number, };

export type CandidateName = { id: string, name: string, };
