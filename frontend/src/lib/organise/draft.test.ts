import { describe, expect, it } from 'vitest';
import type { Session } from '../api';
import {
  contentLanguages,
  draftFromSession,
  draftToInput,
  emptyDraft,
  fieldId,
  fieldProblems,
  placeServerFields,
} from './draft';

const conference = { languages: ['en', 'fr'], starts_on: '2026-05-12', time_zone: 'Europe/Brussels' };

const session: Session = {
  id: 's1',
  kind: 'working_group',
  title: { en: 'Cross-border value chains', fr: 'Chaînes de valeur transfrontalières', nl: 'Grensoverschrijdende ketens' },
  description: { en: 'Findings and proposals' },
  starts_at: '2026-05-12T12:00:00Z',
  ends_at: '2026-05-12T13:30:00Z',
  capacity: 40,
  languages: ['fr', 'nl'],
  stream_url: null,
  visibility: 'invite_only',
  venue: { city: 'Lille', address: 'Rue Nationale 1' },
  people: [],
  bookmarked: false,
};

describe('drafts', () => {
  it('start empty with sensible defaults', () => {
    const d = emptyDraft(conference);
    expect(d.start).toBe('2026-05-12T09:00');
    expect(d.end).toBe('2026-05-12T10:00');
    expect(d.title).toEqual({ en: '', fr: '' });
    expect(d.languages).toEqual(['en']);
  });

  it('show a session in conference time and keep its extra languages', () => {
    const d = draftFromSession(session, conference);
    expect(d.start).toBe('2026-05-12T14:00');
    expect(d.end).toBe('2026-05-12T15:30');
    expect(d.title.nl).toBe('Grensoverschrijdende ketens');
    expect(d.description).toEqual({ en: 'Findings and proposals', fr: '', nl: '' });
    expect(d.capacity).toBe('40');
    expect(d.city).toBe('Lille');
    expect(contentLanguages(conference, session)).toEqual(['en', 'fr', 'nl']);
  });

  it('round-trip to the same input', () => {
    const result = draftToInput(draftFromSession(session, conference), conference.time_zone);
    expect(result).toEqual({
      ok: true,
      input: {
        kind: 'working_group',
        title: session.title,
        description: session.description,
        starts_at: '2026-05-12T12:00:00Z',
        ends_at: '2026-05-12T13:30:00Z',
        capacity: 40,
        languages: ['fr', 'nl'],
        stream_url: null,
        visibility: 'invite_only',
        venue: { city: 'Lille', address: 'Rue Nationale 1' },
      },
    });
  });

  it('trim text, drop blank languages and empty venues', () => {
    const d = emptyDraft(conference);
    d.title = { en: '  Opening plenary ', fr: '   ' };
    d.stream_url = ' https://peertube.example/w/abc ';
    const r = draftToInput(d, conference.time_zone);
    expect(r.ok && r.input.title).toEqual({ en: 'Opening plenary' });
    expect(r.ok && r.input.description).toEqual({});
    expect(r.ok && r.input.venue).toBeNull();
    expect(r.ok && r.input.stream_url).toBe('https://peertube.example/w/abc');
    expect(r.ok && r.input.starts_at).toBe('2026-05-12T07:00:00Z');
  });

  it('report every problem at once', () => {
    const d = emptyDraft(conference);
    d.end = '2026-05-12T08:00';
    d.capacity = '0';
    d.languages = [];
    d.stream_url = 'javascript:alert(1)';
    d.address = 'Somewhere 1';
    expect(draftToInput(d, conference.time_zone)).toEqual({
      ok: false,
      problems: {
        title: 'organise.error_title',
        end: 'organise.error_end_before_start',
        capacity: 'organise.error_capacity',
        languages: 'organise.error_languages',
        stream_url: 'organise.error_url',
        city: 'organise.error_address_without_city',
      },
    });
  });

  it('reject unreadable times', () => {
    const d = emptyDraft(conference);
    d.title.en = 'x';
    d.start = '';
    const r = draftToInput(d, conference.time_zone);
    expect(r).toEqual({ ok: false, problems: { start: 'organise.error_time' } });
  });
});

describe('server field errors', () => {
  it('land next to the matching inputs', () => {
    const placed = placeServerFields(
      {
        end: 'must be after start',
        starts_at: 'outside the conference dates',
        'title.fr': 'too long',
        'venue.city': 'required with an address',
        people: 'unknown user',
        description: 'at most 10 languages',
        venue: 'city at most 100, address at most 300 characters',
        'title.pl': 'not a conference language',
      },
      ['en', 'fr'],
    );
    expect(placed.byField).toEqual({
      end: 'must be after start',
      start: 'outside the conference dates',
      'title.fr': 'too long',
      city: 'city at most 100, address at most 300 characters',
      description: 'at most 10 languages',
    });
    expect(placed.other).toEqual([
      ['people', 'unknown user'],
      ['title.pl', 'not a conference language'],
    ]);
  });

  it('have stable DOM ids', () => {
    expect(fieldId('title.fr')).toBe('sf-title-fr');
    expect(fieldId('start')).toBe('sf-start');
  });

  it('describe an input by its hint, then its problem', () => {
    const fields = fieldProblems((field) => (field === 'capacity' ? 'at least 1' : ''));
    expect(fields.describedBy('capacity', 'sf-capacity-hint')).toBe('sf-capacity-hint sf-capacity-error');
    expect(fields.describedBy('capacity')).toBe('sf-capacity-error');
    expect(fields.describedBy('city', 'sf-venue-hint')).toBe('sf-venue-hint');
    expect(fields.describedBy('city')).toBeUndefined();
  });
});
