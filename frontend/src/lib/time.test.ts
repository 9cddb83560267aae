import { describe, expect, it } from 'vitest';
import {
  formatClock,
  formatDayKey,
  formatTimeRange,
  formatWeekdayClock,
  groupByDay,
  offsetMinutes,
  sameClock,
  utcToZonedLocal,
  zonedDateKey,
  zonedLocalToUtc,
  zoneName,
} from './time';

const BXL = 'Europe/Brussels';

describe('zonedLocalToUtc', () => {
  it('converts winter time in Brussels (UTC+1)', () => {
    expect(zonedLocalToUtc('2026-01-20T09:30', BXL)).toBe('2026-01-20T08:30:00Z');
  });

  it('converts summer time in Brussels (UTC+2)', () => {
    expect(zonedLocalToUtc('2026-06-15T14:00', BXL)).toBe('2026-06-15T12:00:00Z');
  });

  it('accepts seconds', () => {
    expect(zonedLocalToUtc('2026-06-15T14:00:45', BXL)).toBe('2026-06-15T12:00:45Z');
  });

  it('crosses the date line backwards for early morning times', () => {
    expect(zonedLocalToUtc('2026-06-15T01:00', BXL)).toBe('2026-06-14T23:00:00Z');
  });

  it('moves a time skipped by the spring jump forward', () => {
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST; 02:30 does not exist.
    expect(zonedLocalToUtc('2026-03-29T02:30', BXL)).toBe('2026-03-29T01:30:00Z');
    expect(utcToZonedLocal('2026-03-29T01:30:00Z', BXL)).toBe('2026-03-29T03:30');
  });

  it('takes the earlier of two autumn times', () => {
    // 25 October 2026: 03:00 CEST falls back to 02:00 CET; 02:30 happens twice.
    expect(zonedLocalToUtc('2026-10-25T02:30', BXL)).toBe('2026-10-25T00:30:00Z');
  });

  it('works on either side of a transition', () => {
    expect(zonedLocalToUtc('2026-03-29T01:59', BXL)).toBe('2026-03-29T00:59:00Z');
    expect(zonedLocalToUtc('2026-03-29T03:00', BXL)).toBe('2026-03-29T01:00:00Z');
    expect(zonedLocalToUtc('2026-10-25T03:00', BXL)).toBe('2026-10-25T02:00:00Z');
  });

  it('handles other zones', () => {
    expect(zonedLocalToUtc('2026-05-12T10:00', 'Europe/London')).toBe('2026-05-12T09:00:00Z');
    expect(zonedLocalToUtc('2026-05-12T10:00', 'UTC')).toBe('2026-05-12T10:00:00Z');
    expect(zonedLocalToUtc('2026-05-12T10:00', 'Asia/Kolkata')).toBe('2026-05-12T04:30:00Z');
    expect(zonedLocalToUtc('2026-01-12T10:00', 'America/New_York')).toBe('2026-01-12T15:00:00Z');
  });

  it('rejects malformed or impossible input', () => {
    expect(zonedLocalToUtc('', BXL)).toBeNull();
    expect(zonedLocalToUtc('2026-05-12', BXL)).toBeNull();
    expect(zonedLocalToUtc('2026-13-01T10:00', BXL)).toBeNull();
    expect(zonedLocalToUtc('2026-04-31T10:00', BXL)).toBeNull();
    expect(zonedLocalToUtc('2026-05-12T24:00', BXL)).toBeNull();
  });
});

describe('utcToZonedLocal', () => {
  it('is the inverse of zonedLocalToUtc for ordinary times', () => {
    for (const local of ['2026-01-01T00:00', '2026-05-12T09:15', '2026-12-31T23:59']) {
      expect(utcToZonedLocal(zonedLocalToUtc(local, BXL)!, BXL)).toBe(local);
    }
  });

  it('accepts fractional seconds and offsets', () => {
    expect(utcToZonedLocal('2026-05-12T08:00:00.000Z', BXL)).toBe('2026-05-12T10:00');
    expect(utcToZonedLocal('2026-05-12T10:00:00+02:00', BXL)).toBe('2026-05-12T10:00');
  });

  it('returns an empty string for garbage', () => {
    expect(utcToZonedLocal('not a date', BXL)).toBe('');
  });
});

describe('offsets and days', () => {
  it('knows the Brussels offsets', () => {
    expect(offsetMinutes(Date.parse('2026-01-01T12:00:00Z'), BXL)).toBe(60);
    expect(offsetMinutes(Date.parse('2026-07-01T12:00:00Z'), BXL)).toBe(120);
  });

  it('puts a session on its conference-local day', () => {
    expect(zonedDateKey('2026-05-12T22:30:00Z', BXL)).toBe('2026-05-13');
    expect(zonedDateKey('2026-05-12T22:30:00Z', 'UTC')).toBe('2026-05-12');
  });

  it('groups by local day in order', () => {
    const items = [
      { id: 'a', at: '2026-05-12T08:00:00Z' },
      { id: 'b', at: '2026-05-12T22:30:00Z' },
      { id: 'c', at: '2026-05-11T09:00:00Z' },
      { id: 'd', at: '2026-05-13T07:00:00Z' },
    ];
    const groups = groupByDay(items, (i) => i.at, BXL);
    expect(groups.map(([day, list]) => [day, list.map((i) => i.id)])).toEqual([
      ['2026-05-11', ['c']],
      ['2026-05-12', ['a']],
      ['2026-05-13', ['b', 'd']],
    ]);
  });

  it('tells when two zones read the same clock', () => {
    expect(sameClock(BXL, 'Europe/Paris', '2026-05-12T08:00:00Z')).toBe(true);
    expect(sameClock(BXL, 'Europe/London', '2026-05-12T08:00:00Z')).toBe(false);
  });
});

describe('formatting', () => {
  it('formats a range in the conference zone on a 24-hour clock, without a zone abbreviation', () => {
    const range = (locale: string): string =>
      formatTimeRange('2026-05-12T07:30:00Z', '2026-05-12T09:00:00Z', BXL, locale);
    expect(range('en-GB')).toBe('09:30\u201311:00');
    expect(range('en')).toBe('09:30\u2009\u2013\u200911:00');
    expect(range('fr')).toBe('09:30\u2009\u2013\u200911:00');
    expect(range('nl')).toBe('09:30\u201311:00');
  });

  it('shows clock times on a 24-hour clock in every language, English included', () => {
    for (const locale of ['en', 'en-GB', 'fr', 'nl', 'de']) {
      expect(formatClock('2026-05-12T13:05:00Z', locale, 'UTC')).toBe('13:05');
    }
    expect(formatClock('not a time', 'en')).toBe('');
    expect(formatWeekdayClock('2026-05-12T13:05:00Z', 'en-GB', 'Europe/Lisbon')).toBe('Tue 14:05');
    expect(formatWeekdayClock('2026-05-12T13:05:00Z', 'nl', 'Europe/Lisbon')).toBe('di 14:05');
  });

  it('formats a day in the UI language', () => {
    expect(formatDayKey('2026-05-12', 'fr')).toBe('Mardi 12 mai 2026');
    expect(formatDayKey('2026-05-12', 'en-GB')).toMatch(/^Tuesday,? 12 May 2026$/);
  });

  it('names a time zone in the UI language, the same way in all four', () => {
    expect(zoneName(BXL, 'en-GB')).toBe('Central European Time');
    expect(zoneName(BXL, 'fr')).toBe('heure d\u2019Europe centrale');
    expect(zoneName(BXL, 'nl')).toBe('Midden-Europese tijd');
    expect(zoneName(BXL, 'de')).toBe('Mitteleuropäische Zeit');
    expect(zoneName('Europe/Lisbon', 'en-GB')).toBe('Western European Time');
    expect(zoneName('Europe/Lisbon', 'fr')).toBe('heure d\u2019Europe de l\u2019Ouest');
  });

  it('names zones the data knows only by offset by their long name, and unknown ones by id', () => {
    expect(zoneName('UTC', 'en-GB')).toBe('Coordinated Universal Time');
    expect(zoneName('UTC', 'de')).toBe('Koordinierte Weltzeit');
    expect(zoneName('Mars/Olympus_Mons', 'fr')).toBe('Mars/Olympus_Mons');
  });
});
