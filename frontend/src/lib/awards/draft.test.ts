import { describe, expect, it } from 'vitest';
import type { Nomination } from '../api';
import { candidateDraft, candidateInput, charCount, electionInput, emptyElectionDraft, emptyNomination, nominationInput } from './draft';

describe('the election form', () => {
  it('sends the titles given, and the schedule typed in the conference’s zone as UTC', () => {
    const draft = { ...emptyElectionDraft({ languages: ['en', 'fr'] }), method: 'ranked' as const };
    draft.title = { en: ' Cluster Manager of the Year ', fr: '' };
    draft.opens = '2026-05-12T09:30';
    draft.closes = '2026-05-12T17:00';
    expect(electionInput(draft, 'Europe/Brussels')).toEqual({
      ok: true,
      input: {
        title: { en: 'Cluster Manager of the Year' },
        description: {},
        method: 'ranked',
        opens_at: '2026-05-12T07:30:00Z',
        closes_at: '2026-05-12T15:00:00Z',
      },
    });
  });

  it('wants a title, and a close after the opening', () => {
    const draft = emptyElectionDraft({ languages: ['en'] });
    draft.opens = '2026-05-12T17:00';
    draft.closes = '2026-05-12T09:00';
    expect(electionInput(draft, 'Europe/Brussels')).toEqual({
      ok: false,
      problems: { title: 'awards.error_title', closes_at: 'awards.error_closes_before_opens' },
    });
    const manual = { ...emptyElectionDraft({ languages: ['en'] }), title: { en: 'X' } };
    expect(electionInput(manual, 'Europe/Brussels')).toMatchObject({ ok: true, input: { opens_at: null, closes_at: null } });
  });
});

describe('a nomination', () => {
  it('wants a name and at most 1,500 characters of statement, counted as the server does', () => {
    expect(charCount('🏆é')).toBe(2);
    const draft = { ...emptyNomination(), name: ' Ana Peeters ', statement: '🏆'.repeat(1500) };
    expect(nominationInput(draft)).toMatchObject({ ok: true, input: { name: 'Ana Peeters' } });
    expect(nominationInput({ ...draft, name: ' ', statement: 'x'.repeat(1501) })).toEqual({
      ok: false,
      problems: { name: 'awards.error_name', statement: 'awards.error_statement_long' },
    });
  });
});

describe('a candidate', () => {
  const nomination: Nomination = {
    id: 'n1',
    name: 'Ana Peeters',
    cluster: 'Flanders Photonics',
    organisation: 'Photonics Vlaanderen',
    country: 'BE',
    statement: 'Opened our cluster to three regions.',
    supporters: 3,
    mine: false,
    nominated_by: null,
  };

  it('comes from a nomination, its statement in the language given', () => {
    const draft = candidateDraft(['en', 'fr'], { nomination, lang: 'en' });
    expect(draft.statement).toEqual({ en: 'Opened our cluster to three regions.', fr: '' });
    expect(candidateInput({ ...draft, photo_url: ' https://example.eu/ana.jpg ' })).toEqual({
      ok: true,
      input: {
        nomination_id: 'n1',
        name: 'Ana Peeters',
        cluster: 'Flanders Photonics',
        organisation: 'Photonics Vlaanderen',
        country: 'BE',
        photo_url: 'https://example.eu/ana.jpg',
        statement: { en: 'Opened our cluster to three regions.' },
      },
    });
  });

  it('wants a web address for the photo and short statements', () => {
    const draft = { ...candidateDraft(['en', 'fr']), name: 'Bram Vos', photo_url: 'javascript:alert(1)' };
    draft.statement.fr = 'x'.repeat(1501);
    expect(candidateInput(draft)).toEqual({
      ok: false,
      problems: { photo_url: 'awards.error_photo_url', 'statement.fr': 'awards.error_statement_long' },
    });
  });
});
