/**
 * Choosing which language of a `LocalizedText` to show: the UI language, else the
 * conference's first language, else the conference's other languages, else any.
 */
import type { LocalizedText } from './api';

export interface Picked {
  text: string;
  /** The language code of `text`, for a `lang` attribute; '' when nothing was found. */
  lang: string;
}

/** The base language of a BCP 47 tag: `fr-BE` → `fr`. */
export function baseLanguage(tag: string): string {
  return (tag.split(/[-_]/)[0] ?? tag).toLowerCase();
}

export function pickLocalized(
  text: LocalizedText | null | undefined,
  uiLanguage: string,
  conferenceLanguages: readonly string[] = [],
): Picked {
  if (!text) return { text: '', lang: '' };
  const has = (code: string): boolean => typeof text[code] === 'string' && text[code].trim() !== '';
  const order = [baseLanguage(uiLanguage), ...conferenceLanguages, ...Object.keys(text).sort()];
  for (const code of order) {
    if (has(code)) return { text: text[code]!, lang: code };
  }
  return { text: '', lang: '' };
}

/** Shorthand for the text only. */
export function localized(
  text: LocalizedText | null | undefined,
  uiLanguage: string,
  conferenceLanguages: readonly string[] = [],
): string {
  return pickLocalized(text, uiLanguage, conferenceLanguages).text;
}
