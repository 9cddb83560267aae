/**
 * UI translations (svelte-i18n) for the four interface languages, the persisted
 * language choice, and `<html lang>` following it.
 */
import { addMessages, init, locale } from 'svelte-i18n';
import { derived } from 'svelte/store';
import en from './en.json';
import fr from './fr.json';
import nl from './nl.json';
import de from './de.json';

export const UI_LOCALES = ['en', 'fr', 'nl', 'de'] as const;
export type UiLocale = (typeof UI_LOCALES)[number];

/** Each language's name in itself, for the switcher. */
export const UI_LOCALE_NAMES: Record<UiLocale, string> = {
  en: 'English',
  fr: 'Français',
  nl: 'Nederlands',
  de: 'Deutsch',
};

export const MESSAGES: Record<UiLocale, typeof en> = { en, fr, nl, de };

const STORAGE_KEY = 'viaduc.locale';

export function isUiLocale(value: unknown): value is UiLocale {
  return typeof value === 'string' && (UI_LOCALES as readonly string[]).includes(value);
}

/** The stored choice if valid, else the first supported browser language, else English. */
export function chooseInitialLocale(stored: string | null, browserLanguages: readonly string[]): UiLocale {
  if (isUiLocale(stored)) return stored;
  for (const tag of browserLanguages) {
    const base = tag.toLowerCase().split(/[-_]/)[0];
    if (isUiLocale(base)) return base;
  }
  return 'en';
}

function readStored(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled
  }
}

/** Registers the messages and picks the starting language; call once before mounting. */
export function setupI18n(): void {
  for (const code of UI_LOCALES) addMessages(code, MESSAGES[code]);
  const browser = navigator.languages?.length ? navigator.languages : [navigator.language];
  const initial = chooseInitialLocale(readStored(), browser);
  void init({ fallbackLocale: 'en', initialLocale: initial });
  locale.subscribe((value) => {
    if (!isUiLocale(value)) return;
    document.documentElement.lang = value;
    try {
      localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // storage disabled: the choice lasts for this page only
    }
  });
}

export function setUiLocale(code: UiLocale): void {
  locale.set(code);
}

/** The locale for Intl dates and names: English follows British conventions (24-hour clock, day before month). */
export function formatLocaleFor(ui: string | null | undefined): string {
  return !ui || ui === 'en' ? 'en-GB' : ui;
}

/** The UI language as a formatting locale, for Intl.* calls in components (`$formatLocale`). */
export const formatLocale = derived(locale, formatLocaleFor);
