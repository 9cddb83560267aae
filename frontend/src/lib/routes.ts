/**
 * The app's client-side routes: path patterns → named routes with parameters.
 * Kept free of Svelte so it can be unit-tested.
 */

export type RouteName =
  | 'home'
  | 'login'
  | 'signup'
  | 'forgot-password'
  | 'set-password'
  | 'profile'
  | 'agenda'
  | 'session'
  | 'schedule'
  | 'organise'
  | 'organise-new'
  | 'organise-edit'
  | 'awards'
  | 'election'
  | 'election-board'
  | 'election-stage'
  | 'outcomes'
  | 'about'
  | 'register'
  | 'delegation'
  | 'not-found';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
}

const TABLE: [string, RouteName][] = [
  ['/', 'home'],
  ['/login', 'login'],
  ['/signup', 'signup'],
  ['/forgot-password', 'forgot-password'],
  ['/set-password', 'set-password'],
  ['/profile', 'profile'],
  ['/c/:slug', 'agenda'],
  ['/c/:slug/sessions/:id', 'session'],
  ['/c/:slug/schedule', 'schedule'],
  ['/c/:slug/organise', 'organise'],
  ['/c/:slug/organise/new', 'organise-new'],
  ['/c/:slug/organise/:id', 'organise-edit'],
  ['/c/:slug/awards', 'awards'],
  ['/c/:slug/awards/:id', 'election'],
  ['/c/:slug/awards/:id/board', 'election-board'],
  ['/c/:slug/awards/:id/stage', 'election-stage'],
  ['/c/:slug/outcomes', 'outcomes'],
  ['/c/:slug/about', 'about'],
  ['/c/:slug/register', 'register'],
  ['/c/:slug/delegations/:id', 'delegation'],
];

/** Routes reachable without being logged in: the front page and a conference's public page
 * (what visitors see before registering), an election's board (anyone may recount), the
 * Outcomes when the organisers make them public. */
export const PUBLIC_ROUTES: ReadonlySet<RouteName> = new Set([
  'home',
  'login',
  'signup',
  'forgot-password',
  'set-password',
  'about',
  'election-board',
  'outcomes',
]);

/** Routes shown alone, without the header and footer (the stage's projected view). */
export const BARE_ROUTES: ReadonlySet<RouteName> = new Set(['election-stage']);

/** Matches `path` against one pattern like `/c/:slug`; returns the decoded params or null. */
export function matchPattern(pattern: string, path: string): Record<string, string> | null {
  const trim = (s: string): string[] => s.split('/').filter(Boolean);
  const want = trim(pattern);
  const got = trim(path);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return null;
      }
    } else if (w !== g) {
      return null;
    }
  }
  return params;
}

/** Resolves a pathname to a route; the first matching pattern wins. */
export function resolve(path: string): Route {
  for (const [pattern, name] of TABLE) {
    const params = matchPattern(pattern, path);
    if (params) return { name, params };
  }
  return { name: 'not-found', params: {} };
}

/** A `next=` target is only followed when it is a path on this site. */
export function safeNext(next: string | null | undefined): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
