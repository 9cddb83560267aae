import { describe, expect, it } from 'vitest';
import { checkLogin, checkSignup } from './validate';

describe('auth form checks', () => {
  it('accepts a good sign-up', () => {
    expect(checkSignup('ana@cluster.eu', 'correct horse', 'Ana Silva')).toEqual({});
  });

  it('requires every field', () => {
    expect(checkSignup('', '', ' ')).toEqual({
      email: 'errors.required',
      password: 'errors.required',
      display_name: 'errors.required',
    });
  });

  it('checks the email shape and the password length', () => {
    expect(checkSignup('ana', '123456789', 'Ana')).toEqual({
      email: 'errors.email',
      password: 'errors.password_short',
    });
    expect(checkSignup('ana@x.eu', '1234567890', 'Ana')).toEqual({});
  });

  it('does not apply the length rule at login', () => {
    expect(checkLogin('ana@x.eu', 'short')).toEqual({});
  });
});
