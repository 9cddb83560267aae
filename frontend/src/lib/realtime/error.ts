/** The error a real-time command or room fails with. */
import type { Conflict, FieldError } from '../api/errors';
import type { ErrorCode } from './protocol';

/** A command or room failure: a server error code, or `timeout` / `closed` locally. */
export class RealtimeError extends Error {
  readonly code: ErrorCode | 'timeout' | 'closed';
  readonly retryable: boolean;
  /** For `validation`: each broken rule with its code and parameters, to be worded in the UI. */
  readonly fields: FieldError[];
  /** For `conflict`: why the command clashes with the current state. */
  readonly conflict: Conflict | null;
  constructor(
    code: ErrorCode | 'timeout' | 'closed',
    message: string,
    retryable = false,
    fields: FieldError[] = [],
    conflict: Conflict | null = null,
  ) {
    super(message);
    this.name = 'RealtimeError';
    this.code = code;
    this.retryable = retryable;
    this.fields = fields;
    this.conflict = conflict;
  }
}
