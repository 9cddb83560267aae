/** Turning any thrown value into a message the user can read in their language. */
import { ApiError } from './api';

export type Translate = (key: string, options?: { values?: Record<string, string | number> }) => string;

/** Error codes the UI words itself; anything else shows the server's own message. */
const KNOWN_CODES: Record<string, string> = {
  invalid_credentials: 'errors.invalid_credentials',
  rate_limited: 'errors.rate_limited',
  network: 'errors.network',
};

export function errorMessage(err: unknown, t: Translate): string {
  if (err instanceof ApiError) {
    const key = KNOWN_CODES[err.code];
    if (key) return t(key);
    if (err.status === 429) return t('errors.rate_limited');
    // These say the same thing whatever the route: word them in the UI language.
    if (err.status === 403) return t('errors.forbidden');
    if (err.status === 404) return t('errors.not_found');
    if (err.message && err.status < 500 && err.status !== 0) return err.message;
    return t('errors.generic');
  }
  if (typeof err === 'string') return err;
  return t('errors.generic');
}
