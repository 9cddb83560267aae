import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Session } from '../api';
import { toggleBookmark } from './bookmark';

function session(bookmarked: boolean): Session {
  return {
    id: 's1',
    kind: 'panel',
    title: { en: 'Panel' },
    description: {},
    starts_at: '2026-05-12T08:00:00Z',
    ends_at: '2026-05-12T09:00:00Z',
    capacity: null,
    languages: ['en'],
    stream_url: null,
    visibility: 'public',
    venue: null,
    people: [],
    bookmarked,
  };
}

afterEach(() => vi.unstubAllGlobals());

describe('toggleBookmark', () => {
  it('bookmarks with PUT and un-bookmarks with DELETE', async () => {
    const methods: string[] = [];
    vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
      methods.push(init.method!);
      return new Response(null, { status: 204 });
    });
    const s = session(false);
    await toggleBookmark('ecc-2026', s);
    expect(s.bookmarked).toBe(true);
    await toggleBookmark('ecc-2026', s);
    expect(s.bookmarked).toBe(false);
    expect(methods).toEqual(['PUT', 'DELETE']);
  });

  it('rolls back when the server refuses', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 403 }));
    const s = session(false);
    await expect(toggleBookmark('ecc-2026', s)).rejects.toMatchObject({ status: 403 });
    expect(s.bookmarked).toBe(false);
  });
});
