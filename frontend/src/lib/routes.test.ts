import { describe, expect, it } from 'vitest';
import { BARE_ROUTES, matchPattern, PUBLIC_ROUTES, resolve, safeNext } from './routes';

describe('resolve', () => {
  it('resolves static and parameterised routes', () => {
    expect(resolve('/')).toEqual({ name: 'home', params: {} });
    expect(resolve('/login')).toEqual({ name: 'login', params: {} });
    expect(resolve('/c/ecc-2026')).toEqual({ name: 'agenda', params: { slug: 'ecc-2026' } });
    expect(resolve('/c/ecc-2026/')).toEqual({ name: 'agenda', params: { slug: 'ecc-2026' } });
    expect(resolve('/c/ecc-2026/sessions/42')).toEqual({ name: 'session', params: { slug: 'ecc-2026', id: '42' } });
    expect(resolve('/c/ecc-2026/schedule')).toEqual({ name: 'schedule', params: { slug: 'ecc-2026' } });
    expect(resolve('/c/ecc-2026/organise')).toEqual({ name: 'organise', params: { slug: 'ecc-2026' } });
  });

  it('prefers the literal "new" over an id', () => {
    expect(resolve('/c/x/organise/new').name).toBe('organise-new');
    expect(resolve('/c/x/organise/abc')).toEqual({ name: 'organise-edit', params: { slug: 'x', id: 'abc' } });
  });

  it('decodes parameters and rejects unknown paths', () => {
    expect(matchPattern('/c/:slug', '/c/caf%C3%A9')).toEqual({ slug: 'café' });
    expect(matchPattern('/c/:slug', '/c/%E0%A4%A')).toBeNull();
    expect(resolve('/nope').name).toBe('not-found');
    expect(resolve('/c/x/sessions').name).toBe('not-found');
  });
});

describe('the awards', () => {
  it('have the elections, an election, its public board and its stage view', () => {
    expect(resolve('/c/x/awards')).toEqual({ name: 'awards', params: { slug: 'x' } });
    expect(resolve('/c/x/awards/e1')).toEqual({ name: 'election', params: { slug: 'x', id: 'e1' } });
    expect(resolve('/c/x/awards/e1/board')).toEqual({ name: 'election-board', params: { slug: 'x', id: 'e1' } });
    expect(resolve('/c/x/awards/e1/stage')).toEqual({ name: 'election-stage', params: { slug: 'x', id: 'e1' } });
    expect(resolve('/c/x/awards/e1/other').name).toBe('not-found');
  });

  it('open the board to anyone, and show the stage alone', () => {
    expect(PUBLIC_ROUTES.has('election-board')).toBe(true);
    expect(PUBLIC_ROUTES.has('election')).toBe(false);
    expect(BARE_ROUTES.has('election-stage')).toBe(true);
  });
});

describe('safeNext', () => {
  it('only follows local paths', () => {
    expect(safeNext('/c/ecc-2026')).toBe('/c/ecc-2026');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/\\evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null)).toBe('/');
  });
});

describe('registrations', () => {
  it('have the public page, the registration form and a delegation portal', () => {
    expect(resolve('/c/x/about')).toEqual({ name: 'about', params: { slug: 'x' } });
    expect(resolve('/c/x/register')).toEqual({ name: 'register', params: { slug: 'x' } });
    expect(resolve('/c/x/delegations/d1')).toEqual({ name: 'delegation', params: { slug: 'x', id: 'd1' } });
  });

  it('show the front page and a conference page to visitors, not the form', () => {
    expect(PUBLIC_ROUTES.has('home')).toBe(true);
    expect(PUBLIC_ROUTES.has('about')).toBe(true);
    expect(PUBLIC_ROUTES.has('register')).toBe(false);
  });
});

describe('passwords', () => {
  it('are reset and set on public pages', () => {
    expect(resolve('/forgot-password').name).toBe('forgot-password');
    expect(resolve('/set-password').name).toBe('set-password');
    expect(PUBLIC_ROUTES.has('forgot-password')).toBe(true);
    expect(PUBLIC_ROUTES.has('set-password')).toBe(true);
  });
});
