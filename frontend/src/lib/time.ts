/**
 * Wall-clock time in a named time zone ↔ UTC instants, without a date library.
 *
 * Organisers type times as they read on the conference venue's clocks
 * (`<input type="datetime-local">`, e.g. `2026-03-29T02:30` in `Europe/Brussels`);
 * the API speaks RFC 3339 UTC. Around DST changes we follow Temporal's
 * "compatible" rule: a time skipped by the spring jump moves forward by the
 * size of the jump, a time that happens twice in autumn takes the earlier one.
 */

const partFormatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = partFormatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partFormatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(utcMs: number, timeZone: string): WallClock {
  const parts = partsFormatter(timeZone).formatToParts(new Date(utcMs));
  const get = (type: Intl.DateTimeFormatPartTypes): number =>
    Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour') % 24,
    minute: get('minute'),
    second: get('second'),
  };
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in minutes (Brussels in winter: 60). */
export function offsetMinutes(utcMs: number, timeZone: string): number {
  const w = wallClock(utcMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  const whole = Math.floor(utcMs / 1000) * 1000;
  return Math.round((asUtc - whole) / 60000);
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/** Formats epoch milliseconds as RFC 3339 UTC without fractional seconds. */
function toRfc3339(utcMs: number): string {
  return new Date(utcMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * Converts a local wall-clock time (`YYYY-MM-DDTHH:mm[:ss]`) in `timeZone` to an
 * RFC 3339 UTC string. Returns `null` when the input is not such a time.
 */
export function zonedLocalToUtc(local: string, timeZone: string): string | null {
  const m = LOCAL_RE.exec(local);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [number, number, number, number, number, number];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const naive = Date.UTC(y, mo - 1, d, h, mi, s);
  if (new Date(naive).getUTCDate() !== d) return null; // 31 April and friends
  const day = 24 * 60 * 60 * 1000;
  const before = offsetMinutes(naive - day, timeZone);
  const after = offsetMinutes(naive + day, timeZone);
  const candidates = [...new Set([before, after])]
    .map((off) => naive - off * 60000)
    .filter((utc) => offsetMinutes(utc, timeZone) * 60000 === naive - utc)
    .sort((a, b) => a - b);
  // No candidate: the time falls in a spring gap; use the offset from before the jump.
  const utc = candidates[0] ?? naive - before * 60000;
  return toRfc3339(utc);
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** The wall-clock time of an RFC 3339 instant in `timeZone`, as `YYYY-MM-DDTHH:mm` (for datetime-local inputs). */
export function utcToZonedLocal(iso: string, timeZone: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms, timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

/** The calendar day (`YYYY-MM-DD`) of an RFC 3339 instant in `timeZone`. */
export function zonedDateKey(iso: string, timeZone: string): string {
  return utcToZonedLocal(iso, timeZone).slice(0, 10);
}

/** Groups items by their calendar day in `timeZone`, keeping input order within a day and ordering days. */
export function groupByDay<T>(items: readonly T[], instant: (item: T) => string, timeZone: string): [string, T[]][] {
  const days = new Map<string, T[]>();
  for (const item of items) {
    const key = zonedDateKey(instant(item), timeZone);
    const list = days.get(key);
    if (list) list.push(item);
    else days.set(key, [item]);
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The viewer's own IANA time zone (falls back to UTC). */
export function viewerTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * A time zone's name in `locale`, from the browser's own data, the same way in every
 * language: `Europe/Brussels` → `Central European Time`, `heure d’Europe centrale`,
 * `Midden-Europese tijd`, `Mitteleuropäische Zeit`. Zones the data names only by an
 * offset (`GMT+00:00`) get their long name instead (`Coordinated Universal Time`).
 */
export function zoneName(timeZone: string, locale: string): string {
  const name = (style: 'longGeneric' | 'long'): string => {
    try {
      const parts = new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: style }).formatToParts(new Date());
      return parts.find((p) => p.type === 'timeZoneName')?.value ?? timeZone;
    } catch {
      return timeZone; // an unknown zone: its id is still the best name we have
    }
  };
  const generic = name('longGeneric');
  return /^(GMT|UTC)[+−-]/.test(generic) ? name('long') : generic;
}

/** Clock times are 24-hour in every interface language, English included. */
const CLOCK: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };

/** The time of day of an instant, e.g. `14:05`, in `timeZone` (the viewer's by default). */
export function formatClock(iso: string, locale: string, timeZone?: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { ...CLOCK, timeZone }).format(at);
}

/** A weekday and time in `timeZone`, e.g. `Tue 09:30`, for previews beside a zone's name. */
export function formatWeekdayClock(iso: string, locale: string, timeZone: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { ...CLOCK, weekday: 'short', timeZone }).format(at);
}

/** Formats a start–end range in `timeZone`, e.g. `09:30–11:00`; the zone is named beside it. */
export function formatTimeRange(startIso: string, endIso: string, timeZone: string, locale: string): string {
  const fmt = new Intl.DateTimeFormat(locale, { ...CLOCK, timeZone });
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) return '';
  return fmt.formatRange(start, end);
}

/** True when two time zones read the same clock time at both instants (no need to show both). */
export function sameClock(aZone: string, bZone: string, ...isos: string[]): boolean {
  return isos.every((iso) => {
    const ms = Date.parse(iso);
    return offsetMinutes(ms, aZone) === offsetMinutes(ms, bZone);
  });
}

/** Formats a calendar day key `YYYY-MM-DD` as a long date in `locale`, capitalised for headings (`Mardi 12 mai 2026`). */
export function formatDayKey(key: string, locale: string): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  const text = new Intl.DateTimeFormat(locale, {
    timeZone: 'UTC',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(Date.UTC(y, m - 1, d, 12)));
  return text.charAt(0).toLocaleUpperCase(locale) + text.slice(1);
}

/** Formats a `starts_on`–`ends_on` pair of calendar days as a compact range. */
export function formatDateRange(startKey: string, endKey: string, locale: string): string {
  const toDate = (key: string): Date => {
    const [y, m, d] = key.split('-').map(Number) as [number, number, number];
    return new Date(Date.UTC(y, m - 1, d, 12));
  };
  const fmt = new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
  return fmt.formatRange(toDate(startKey), toDate(endKey));
}
