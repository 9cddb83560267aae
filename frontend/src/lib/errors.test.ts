import { addMessages, init, locale, _ } from 'svelte-i18n';
import { get } from 'svelte/store';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type FieldError } from './api';
import { bannerMessage, errorMessage, fieldMessage, fieldMessages, liveErrorMessage, type Translate } from './errors';
import { formatLocaleFor, MESSAGES, UI_LOCALES, type UiLocale } from './i18n';

beforeAll(async () => {
  for (const code of UI_LOCALES) addMessages(code, MESSAGES[code]);
  await init({ fallbackLocale: 'en', initialLocale: 'en' });
});

/** The real translations of one UI language, as components get them from `$_`. */
async function inLanguage(ui: UiLocale): Promise<[Translate, string]> {
  await locale.set(ui);
  return [get(_) as Translate, formatLocaleFor(ui)];
}

const capacity: FieldError = {
  field: 'capacity',
  code: 'out_of_range',
  params: { min: 1, max: 100000 },
  message: 'must be between 1 and 100000',
};
const tooCommon: FieldError = { field: 'password', code: 'too_common', message: 'is too common, choose another' };
const outside: FieldError = {
  field: 'starts_at',
  code: 'outside_conference',
  params: { starts_on: '2026-12-08', ends_on: '2026-12-10' },
  message: 'must fall within the conference (2026-12-08 to 2026-12-10)',
};

describe('fieldMessage', () => {
  it('words a rule with its numbers in each language', async () => {
    const expected: Record<UiLocale, string> = {
      en: 'Enter a number from 1 to 100,000.',
      fr: 'Saisissez un nombre de 1 à 100\u202f000.',
      nl: 'Voer een getal van 1 tot 100.000 in.',
      de: 'Geben Sie eine Zahl von 1 bis 100.000 ein.',
    };
    for (const ui of UI_LOCALES) {
      const [t, fmt] = await inLanguage(ui);
      expect(fieldMessage(capacity, t, fmt)).toBe(expected[ui]);
    }
  });

  it('words a rule without parameters', async () => {
    const [t, fmt] = await inLanguage('de');
    expect(fieldMessage(tooCommon, t, fmt)).toBe('Dieses Passwort ist zu verbreitet. Wählen Sie ein anderes.');
  });

  it('gives the conference days as a date range in the UI language', async () => {
    const [fr, frFmt] = await inLanguage('fr');
    expect(fieldMessage(outside, fr, frFmt)).toBe(
      'La session doit avoir lieu pendant la conférence (8\u201310 décembre 2026).',
    );
    const [nl, nlFmt] = await inLanguage('nl');
    expect(fieldMessage(outside, nl, nlFmt)).toBe(
      'De sessie moet tijdens de conferentie plaatsvinden (8\u201310 december 2026).',
    );
  });

  it('repeats the offending value', async () => {
    const [t, fmt] = await inLanguage('nl');
    const bad: FieldError = {
      field: 'lang',
      code: 'language_code',
      params: { value: 'french' },
      message: '`french` is not a two-letter language code',
    };
    expect(fieldMessage(bad, t, fmt)).toBe('‘french’ is geen taalcode van twee letters.');
  });

  it('has its own wording for an e-mail address that is taken', async () => {
    const [t, fmt] = await inLanguage('en');
    const taken: FieldError = { field: 'email', code: 'taken', message: 'is already taken' };
    expect(fieldMessage(taken, t, fmt)).toBe(
      'An account with this email address already exists. Log in instead?',
    );
    expect(fieldMessage({ ...taken, field: 'slug' }, t, fmt)).toBe('This is already in use. Choose another.');
  });

  it('falls back to the English message for a code it does not know', async () => {
    const [t, fmt] = await inLanguage('fr');
    const future = { field: 'bio', code: 'too_cheerful', message: 'is too cheerful' } as unknown as FieldError;
    expect(fieldMessage(future, t, fmt)).toBe('is too cheerful');
  });
});

describe('banners and fields', () => {
  const signup = new ApiError(422, 'validation', 'password: is too common, choose another', [tooCommon]);

  it('says a field problem beside its field only, never also in the banner', async () => {
    const [t, fmt] = await inLanguage('fr');
    expect(fieldMessages(signup, t, fmt)).toEqual({
      password: 'Ce mot de passe est trop courant. Choisissez-en un autre.',
    });
    expect(bannerMessage(signup, t, fmt, ['email', 'password', 'display_name'])).toBe('');
  });

  it('puts problems of fields the form does not show in the banner', async () => {
    const [t, fmt] = await inLanguage('en');
    expect(bannerMessage(signup, t, fmt, ['email'])).toBe('This password is too common. Choose another one.');
    expect(bannerMessage(null, t, fmt)).toBe('');
  });

  it('words a conflict by its reason and limit, in REST and live errors alike', async () => {
    const [t, fmt] = await inLanguage('fr');
    const tooMany = new ApiError(409, 'conflict', 'a session has at most 20 polls', [], { reason: 'too_many_polls', max: 20 });
    expect(errorMessage(tooMany, t)).toBe('Une session compte au plus 20 sondages.');
    const live = { code: 'conflict', fields: [], conflict: { reason: 'already_upvoted' } };
    expect(liveErrorMessage(live, t, fmt)).toBe('Vous avez déjà soutenu cette question.');
    // A reason this UI does not know yet: the code's general wording.
    const unknown = new ApiError(409, 'conflict', 'new', [], { reason: 'from_the_future' as never });
    expect(errorMessage(unknown, t)).toBe(t('errors.conflict'));
  });

  it('words every top-level code in the UI language', async () => {
    const [t, fmt] = await inLanguage('nl');
    const cases: [ApiError, string][] = [
      [new ApiError(403, 'forbidden', 'organisers only'), 'Je hebt geen toestemming om dit te doen.'],
      [new ApiError(404, 'not_found', 'session not found'), 'Dit is niet gevonden.'],
      [
        new ApiError(409, 'conflict', 'a conference needs at least one organiser'),
        'Deze wijziging botst met de huidige gegevens. Laad de pagina opnieuw en probeer het nog eens.',
      ],
      [new ApiError(429, 'rate_limited', 'too many attempts'), t('errors.rate_limited')],
      [
        new ApiError(503, 'unavailable', 'the service is temporarily unavailable'),
        'De dienst is even niet beschikbaar. Probeer het zo meteen opnieuw.',
      ],
      [new ApiError(500, 'internal', 'internal error'), t('errors.generic')],
      [new ApiError(502, 'http_502', 'Bad Gateway'), 'De dienst is even niet beschikbaar. Probeer het zo meteen opnieuw.'],
      [new ApiError(0, 'network', 'Failed to fetch'), t('errors.network')],
    ];
    for (const [err, expected] of cases) {
      expect(bannerMessage(err, t, fmt), err.code).toBe(expected);
      expect(errorMessage(err, t), err.code).toBe(expected);
    }
    expect(errorMessage(new Error('boom'), t)).toBe(t('errors.generic'));
  });
});

describe('liveErrorMessage', () => {
  it('words each broken rule of a refused command, in the reader language', async () => {
    const [t, loc] = await inLanguage('fr');
    const tooLong: FieldError = { field: 'body', code: 'too_long', params: { max: 2000 }, message: 'too long' };
    expect(liveErrorMessage({ code: 'validation', fields: [tooLong] }, t, loc)).toBe(t('field_errors.too_long', { values: { max: 2000 } }));
  });

  it('words the codes only the live connection has, and the shared ones', async () => {
    const [t, loc] = await inLanguage('en');
    expect(liveErrorMessage({ code: 'timeout', fields: [] }, t, loc)).toBe('The server did not answer. Try again.');
    expect(liveErrorMessage({ code: 'forbidden', fields: [] }, t, loc)).toBe('You are not allowed to do this.');
    expect(liveErrorMessage({ code: 'something_new', fields: [] }, t, loc)).toBe('Something went wrong. Please try again.');
    expect(liveErrorMessage(new Error('boom'), t, loc)).toBe('Something went wrong. Please try again.');
  });
});
