import { describe, expect, it } from 'vitest';
import {
  COUNTRY_CODES,
  EUROPEAN_COUNTRY_CODES,
  MAIN_LANGUAGES,
  MORE_LANGUAGES,
  countryName,
  languageName,
  sortByName,
} from './intl';

describe('code lists', () => {
  it('has the 249 ISO 3166-1 alpha-2 codes, unique and well-formed', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    for (const c of COUNTRY_CODES) expect(c).toMatch(/^[A-Z]{2}$/);
  });

  it('lists only known codes as European', () => {
    for (const c of EUROPEAN_COUNTRY_CODES) expect(COUNTRY_CODES).toContain(c);
  });

  it('offers the required languages once', () => {
    for (const l of ['en', 'fr', 'nl', 'de', 'es', 'it', 'pl', 'pt']) expect(MAIN_LANGUAGES).toContain(l);
    const all = [...MAIN_LANGUAGES, ...MORE_LANGUAGES];
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('names', () => {
  it('names countries and languages in the UI language', () => {
    expect(countryName('BE', 'fr')).toBe('Belgique');
    expect(countryName('de', 'nl')).toBe('Duitsland');
    expect(languageName('nl', 'fr')).toBe('Néerlandais');
    expect(languageName('fr', 'de')).toBe('Französisch');
  });

  it('sorts by localized name', () => {
    const sorted = sortByName(['DE', 'AT', 'BE'], (c) => countryName(c, 'de'), 'de');
    expect(sorted).toEqual(['BE', 'DE', 'AT']); // Belgien, Deutschland, Österreich
  });
});
