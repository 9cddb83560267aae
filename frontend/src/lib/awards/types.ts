/**
 * TEMPORARY: the election's wire types as the contract states them, until the backend's
 * OpenAPI document (`Schemas['Election']`, …) and its generated live types (`./live.ts`)
 * land. Delete this file then.
 */

export type Phase = 'nominations' | 'shortlist' | 'voting' | 'closed' | 'revealed';
export type Method = 'plurality' | 'ranked';
type LocalizedText = Record<string, string>;

export interface ElectionInput {
  title: LocalizedText;
  description: LocalizedText;
  method: Method;
  opens_at: string | null;
  closes_at: string | null;
}

export interface Election {
  id: string;
  title: LocalizedText;
  description: LocalizedText;
  method: Method;
  phase: Phase;
  opens_at: string | null;
  closes_at: string | null;
  candidates: Candidate[];
  roll_size: number | null;
  turnout: number | null;
  on_roll: boolean;
  voted: boolean;
  result: ElectionResult | null;
}

export interface Candidate {
  id: string;
  name: string;
  cluster: string;
  organisation: string;
  country: string;
  photo_url: string | null;
  statement: LocalizedText;
}

export interface CandidateInput {
  nomination_id: string | null;
  name: string;
  cluster: string;
  organisation: string;
  country: string;
  photo_url: string | null;
  statement: LocalizedText;
}

export interface NominationInput {
  name: string;
  cluster: string;
  organisation: string;
  country: string;
  statement: string;
}

export interface Nomination {
  id: string;
  name: string;
  cluster: string;
  organisation: string;
  country: string;
  statement: string;
  supporters: number;
  mine: boolean;
  nominated_by: string | null;
}

export interface MergeInto {
  into: string;
}

export interface PhaseChange {
  phase: Phase;
}

export interface RollEntry {
  user_id: string;
  display_name: string;
}

export interface Roll {
  size: number;
  voters: RollEntry[];
}

export interface BallotInput {
  ranking: string[];
  receipt_hash: string;
}

export interface BallotRecorded {
  receipt_hash: string;
}

export interface CandidateVotes {
  candidate_id: string;
  votes: number;
}

export interface Round {
  counts: CandidateVotes[];
  eliminated: string | null;
  exhausted: number;
}

export interface ElectionResult {
  method: Method;
  ballots: number;
  winner: string | null;
  tie_broken_by_lot: boolean;
  rounds: Round[];
}

export interface CandidateName {
  id: string;
  name: string;
}

export interface BoardElection {
  id: string;
  conference: string;
  title: LocalizedText;
  method: Method;
  roll_size: number;
  candidates: CandidateName[];
}

export interface BoardBallot {
  receipt_hash: string;
  ranking: string[];
}

export interface AuditEntry {
  seq: number;
  body: string;
  prev_hash: string;
  hash: string;
}

export interface Board {
  format: string;
  election: BoardElection;
  ballots: BoardBallot[];
  result: ElectionResult;
  audit: AuditEntry[];
}

export interface ElectionLive {
  id: string;
  title: Record<string, string>;
  phase: Phase;
  method: Method;
  roll_size: number | null;
  turnout: number | null;
  result: ElectionResult | null;
  candidates: CandidateName[];
}

export interface ElectionsSnapshot {
  elections: ElectionLive[];
}

export interface Turnout {
  id: string;
  turnout: number;
  roll_size: number;
}

export type ElectionEvent =
  | { name: 'election.changed'; data: ElectionLive }
  | { name: 'election.turnout'; data: Turnout };
