/** The error a real-time command or room fails with. */
import type { FieldError } from '../api/errors';
import type { ErrorCode } from './protocol';

/** A command or room failure: a server error code, or `timeout` / `closed` locally. */
export class RealtimeError extends Error {
  readonly code: ErrorCode | 'timeout' | 'closed';
  readonly retryable: boolean;
  /** For `validation`: each broken rule with its code and parameters, to be worded in the UI. */
  readonly fields: FieldError[];
  constructor(code: ErrorCode | 'timeout' | 'closed', message: string, retryable = false, fields: FieldError[] = []) {
    super(message);
    this.name = 'RealtimeError';
    this.code = code;
    this.retryable = retryable;
    this.fields = fields;
  }
}
