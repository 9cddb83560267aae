import { describe, expect, it } from 'vitest';
import { baseLanguage, localized, pickLocalized } from './localized';

describe('pickLocalized', () => {
  const text = { en: 'Opening plenary', fr: "Plénière d'ouverture", nl: '' };

  it('prefers the UI language', () => {
    expect(pickLocalized(text, 'fr', ['en', 'fr'])).toEqual({ text: "Plénière d'ouverture", lang: 'fr' });
  });

  it('understands regional UI tags', () => {
    expect(localized(text, 'fr-BE', ['en'])).toBe("Plénière d'ouverture");
  });

  it('falls back to the first conference language, skipping blank entries', () => {
    expect(pickLocalized(text, 'nl', ['fr', 'en'])).toEqual({ text: "Plénière d'ouverture", lang: 'fr' });
    expect(pickLocalized(text, 'de', ['nl', 'en'])).toEqual({ text: 'Opening plenary', lang: 'en' });
  });

  it('falls back to any language when nothing else matches', () => {
    expect(pickLocalized({ pl: 'Sesja' }, 'de', ['en'])).toEqual({ text: 'Sesja', lang: 'pl' });
  });

  it('is empty for missing text', () => {
    expect(pickLocalized({}, 'en')).toEqual({ text: '', lang: '' });
    expect(pickLocalized(null, 'en')).toEqual({ text: '', lang: '' });
  });
});

describe('baseLanguage', () => {
  it('strips regions', () => {
    expect(baseLanguage('de-AT')).toBe('de');
    expect(baseLanguage('NL')).toBe('nl');
    expect(baseLanguage('pt_BR')).toBe('pt');
  });
});
