import { describe, expect, it } from 'vitest';
import { chooseInitialLocale } from './index';

describe('chooseInitialLocale', () => {
  it('keeps a valid stored choice', () => {
    expect(chooseInitialLocale('nl', ['fr-FR'])).toBe('nl');
  });

  it('ignores an invalid stored value and uses the browser languages in order', () => {
    expect(chooseInitialLocale('xx', ['es-ES', 'de-AT', 'fr'])).toBe('de');
    expect(chooseInitialLocale(null, ['fr-BE'])).toBe('fr');
  });

  it('defaults to English', () => {
    expect(chooseInitialLocale(null, ['ja-JP'])).toBe('en');
    expect(chooseInitialLocale(null, [])).toBe('en');
  });
});
