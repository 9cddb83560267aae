/**
 * Country and language names in the UI language (Intl.DisplayNames), and the
 * code lists the forms offer.
 */

/** ISO 3166-1 alpha-2 codes of all officially assigned countries and territories. */
export const COUNTRY_CODES: readonly string[] = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

/** Countries of the EU, the EEA, Switzerland, the UK and the candidate countries: listed first. */
export const EUROPEAN_COUNTRY_CODES: readonly string[] = (
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE ' +
  'IS LI NO CH GB AL BA GE MD ME MK RS TR UA'
).split(' ');

/** Languages always offered first in pickers (ISO 639-1). */
export const MAIN_LANGUAGES: readonly string[] = ['en', 'fr', 'nl', 'de', 'es', 'it', 'pl', 'pt'];

/** Further European languages offered behind "more languages". */
export const MORE_LANGUAGES: readonly string[] = (
  'bg ca cs da el et eu fi ga gl hr hu is lb lt lv mk mt no ro sk sl sq sr sv tr uk'
).split(' ');

const cache = new Map<string, Intl.DisplayNames>();

function displayNames(locale: string, type: 'region' | 'language'): Intl.DisplayNames | null {
  const key = locale + '|' + type;
  let dn = cache.get(key);
  if (!dn) {
    try {
      dn = new Intl.DisplayNames([locale, 'en'], { type, fallback: 'code' });
    } catch {
      return null;
    }
    cache.set(key, dn);
  }
  return dn;
}

function capitalise(s: string, locale: string): string {
  return s.charAt(0).toLocaleUpperCase(locale) + s.slice(1);
}

/** `BE` → `Belgique` in French. */
export function countryName(code: string, locale: string): string {
  return displayNames(locale, 'region')?.of(code.toUpperCase()) ?? code;
}

/** `nl` → `néerlandais` → capitalised `Néerlandais` in French. */
export function languageName(code: string, locale: string): string {
  const name = displayNames(locale, 'language')?.of(code) ?? code;
  return capitalise(name, locale);
}

/** Codes sorted by their display name in `locale`. */
export function sortByName(codes: readonly string[], name: (code: string) => string, locale: string): string[] {
  const collator = new Intl.Collator(locale);
  return [...codes].sort((a, b) => collator.compare(name(a), name(b)));
}
