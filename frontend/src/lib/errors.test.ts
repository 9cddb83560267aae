import { describe, expect, it } from 'vitest';
import { ApiError } from './api';
import { errorMessage } from './errors';

const t = (key: string): string => `[${key}]`;

describe('errorMessage', () => {
  it('translates the codes the UI knows', () => {
    expect(errorMessage(new ApiError(401, 'invalid_credentials', 'Invalid credentials'), t)).toBe(
      '[errors.invalid_credentials]',
    );
    expect(errorMessage(new ApiError(429, 'whatever', 'slow down'), t)).toBe('[errors.rate_limited]');
    expect(errorMessage(new ApiError(0, 'network', 'Failed to fetch'), t)).toBe('[errors.network]');
  });

  it('shows the server message for other client errors', () => {
    expect(errorMessage(new ApiError(409, 'conflict', 'This email is already registered'), t)).toBe(
      'This email is already registered',
    );
  });

  it('never shows raw server failures', () => {
    expect(errorMessage(new ApiError(500, 'internal', 'db exploded'), t)).toBe('[errors.generic]');
    expect(errorMessage(new Error('boom'), t)).toBe('[errors.generic]');
  });

  it('words 403 and 404 in the UI language', () => {
    expect(errorMessage(new ApiError(404, 'not_found', 'record not found'), t)).toBe('[errors.not_found]');
    expect(errorMessage(new ApiError(403, 'forbidden', 'organisers only'), t)).toBe('[errors.forbidden]');
  });
});
