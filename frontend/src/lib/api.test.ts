import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onAuthLost, request } from './api';

type Call = { url: string; method: string; body?: string; credentials?: string };

function json(status: number, body: unknown): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

let calls: Call[];
let replies: Response[];
let lost: number;

beforeEach(() => {
  calls = [];
  replies = [];
  lost = 0;
  onAuthLost(() => lost++);
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      body: init.body as string | undefined,
      credentials: init.credentials as string | undefined,
    });
    const next = replies.shift();
    if (!next) throw new Error('unexpected request ' + url);
    return next;
  });
});

afterEach(() => vi.unstubAllGlobals());

describe('request', () => {
  it('sends JSON with the access cookie and parses the answer', async () => {
    replies.push(json(200, { id: 'u1' }));
    const me = await api.login('a@b.eu', 'long enough pw');
    expect(me).toEqual({ id: 'u1' });
    expect(calls).toEqual([
      {
        url: '/api/auth/login',
        method: 'POST',
        body: JSON.stringify({ email: 'a@b.eu', password: 'long enough pw' }),
        credentials: 'same-origin',
      },
    ]);
  });

  it('returns undefined for 204', async () => {
    replies.push(new Response(null, { status: 204 }));
    await expect(api.bookmark('ecc-2026', 's1', true)).resolves.toBeUndefined();
    expect(calls[0]).toMatchObject({ url: '/api/conferences/ecc-2026/sessions/s1/bookmark', method: 'PUT' });
  });

  it('throws a typed ApiError with its field errors', async () => {
    const field = {
      field: 'capacity',
      code: 'out_of_range',
      params: { min: 1, max: 100000 },
      message: 'must be between 1 and 100000',
    };
    replies.push(
      json(422, {
        error: { code: 'validation', message: 'capacity: must be between 1 and 100000', fields: [field, { bogus: 1 }] },
      }),
    );
    const err = await request('POST', '/api/conferences/x/sessions', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({
      status: 422,
      code: 'validation',
      message: 'capacity: must be between 1 and 100000',
      fields: [field],
    });
  });

  it('copes with error bodies that are not JSON', async () => {
    replies.push(new Response('Bad Gateway', { status: 502, statusText: 'Bad Gateway' }));
    await expect(api.conferences()).rejects.toMatchObject({ status: 502, code: 'http_502' });
  });

  it('reports network failures as status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(api.conferences()).rejects.toMatchObject({ status: 0, code: 'network' });
  });

  it('resumes the login once on 401 and retries the request', async () => {
    replies.push(json(401, { error: { code: 'unauthorized', message: 'expired' } }));
    replies.push(json(200, { user: { id: 'u1' } }));
    replies.push(json(200, [{ slug: 'ecc-2026' }]));
    await expect(api.conferences()).resolves.toEqual([{ slug: 'ecc-2026' }]);
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /api/conferences',
      'GET /api/auth/session',
      'GET /api/conferences',
    ]);
    expect(lost).toBe(0);
  });

  it('shares one attempt between concurrent 401s', async () => {
    replies.push(json(401, {}), json(401, {}), json(200, { user: { id: 'u1' } }), json(200, [1]), json(200, [2]));
    const [a, b] = await Promise.all([api.conferences(), api.sectors()]);
    expect([a, b]).toEqual([[1], [2]]);
    expect(calls.filter((c) => c.url === '/api/auth/session')).toHaveLength(1);
  });

  it('gives up and reports lost auth when nobody is logged in any more', async () => {
    replies.push(json(401, { error: { code: 'unauthorized', message: 'Please log in' } }));
    replies.push(json(200, { user: null }));
    await expect(api.me()).rejects.toMatchObject({ status: 401, message: 'Please log in' });
    expect(lost).toBe(1);
    expect(calls).toHaveLength(2);
  });

  it('asks who is there with one quiet request, never the refresh route', async () => {
    replies.push(json(200, { user: null }));
    await expect(api.currentLogin()).resolves.toEqual({ user: null });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual(['GET /api/auth/session']);
  });

  it('asks for the calendar in the interface language', () => {
    expect(api.scheduleIcsUrl('ecc-2026', 'fr')).toBe('/api/conferences/ecc-2026/schedule.ics?lang=fr');
    expect(api.sessionExportUrl('ecc-2026', 's 1', 'questions.md', 'nl')).toBe(
      '/api/conferences/ecc-2026/sessions/s%201/questions.md?lang=nl',
    );
  });

  it('does not refresh on the auth routes themselves', async () => {
    replies.push(json(401, { error: { code: 'invalid_credentials', message: 'Wrong email or password' } }));
    await expect(api.login('a@b.eu', 'wrong password')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
    });
    expect(calls).toHaveLength(1);
    expect(lost).toBe(0);
  });

  it('builds filter query strings', async () => {
    replies.push(json(200, []), json(200, []));
    await api.sessions('ecc-2026', { kind: 'panel', language: 'fr' });
    await api.sessions('ecc-2026', { kind: '', language: '' });
    expect(calls.map((c) => c.url)).toEqual([
      '/api/conferences/ecc-2026/sessions?kind=panel&language=fr',
      '/api/conferences/ecc-2026/sessions',
    ]);
  });
});
