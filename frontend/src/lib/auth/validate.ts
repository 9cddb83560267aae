/** Client-side checks for the auth forms; the server checks again and has the last word. */

export const MIN_PASSWORD = 10;

export type AuthField = 'email' | 'password' | 'display_name';
/** Field → i18n key of the problem. */
export type AuthProblems = Partial<Record<AuthField, string>>;

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function checkLogin(email: string, password: string): AuthProblems {
  const p: AuthProblems = {};
  if (!email.trim()) p.email = 'errors.required';
  else if (!EMAIL_RE.test(email.trim())) p.email = 'errors.email';
  if (!password) p.password = 'errors.required';
  return p;
}

export function checkSignup(email: string, password: string, displayName: string): AuthProblems {
  const p = checkLogin(email, password);
  if (password && [...password].length < MIN_PASSWORD) p.password = 'errors.password_short';
  if (!displayName.trim()) p.display_name = 'errors.required';
  return p;
}
