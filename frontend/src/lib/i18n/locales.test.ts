/**
 * The four locale files must have exactly the same keys as en.json, the same
 * ICU placeholders, no empty strings, and be real translations rather than
 * copies of the English. Every key the code uses must exist.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import fr from './fr.json';
import nl from './nl.json';
import de from './de.json';

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

/** Argument names used in an ICU message, e.g. `{count, plural, …}` → count. */
function placeholders(message: string): string[] {
  const names = new Set<string>();
  for (const m of message.matchAll(/(?<!(?:zero|one|two|few|many|other|=\d+)\s*)\{\s*([a-zA-Z_]\w*)\s*(?:,|\})/g)) names.add(m[1]!);
  return [...names].sort();
}

const reference = flatten(en as Tree);
const others = { fr, nl, de } as Record<string, Tree>;

describe.each(Object.entries(others))('locale %s', (code, tree) => {
  const messages = flatten(tree);

  it('has every key of en.json', () => {
    const missing = [...reference.keys()].filter((k) => !messages.has(k));
    expect(missing, `missing in ${code}.json`).toEqual([]);
  });

  it('has no key that en.json lacks', () => {
    const extra = [...messages.keys()].filter((k) => !reference.has(k));
    expect(extra, `extra in ${code}.json`).toEqual([]);
  });

  it('uses the same placeholders and no empty strings', () => {
    for (const [key, value] of messages) {
      expect(value.trim(), `${code}:${key} is empty`).not.toBe('');
      const want = reference.get(key);
      if (want !== undefined) expect(placeholders(value), `${code}:${key}`).toEqual(placeholders(want));
    }
  });

  it('is a translation, not a copy of the English', () => {
    const same = [...messages].filter(([k, v]) => reference.get(k) === v).length;
    expect(same / reference.size).toBeLessThan(0.15);
  });
});

describe('keys used in the code', () => {
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return files(path);
      return /\.(svelte|ts)$/.test(name) && !name.endsWith('.test.ts') ? [path] : [];
    });
  }

  it('exist in en.json', () => {
    const root = join(__dirname, '..', '..');
    const used = new Set<string>();
    for (const file of files(root)) {
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/\$_\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g)) used.add(m[1]!);
      for (const m of src.matchAll(/\bt\(\s*'([a-z_]+(?:\.[a-z_]+)+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(50);
    const unknown = [...used].filter((k) => !reference.has(k));
    expect(unknown).toEqual([]);
  });
});

describe('keys built at run time', () => {
  it('exist for every session kind and role', async () => {
    const { SESSION_KINDS, SESSION_ROLES, CONFERENCE_ROLES } = await import('../api');
    const wanted = [
      ...SESSION_KINDS.map((k) => `kind.${k}`),
      ...SESSION_ROLES.flatMap((r) => [`session_role.${r}`, `session_roles.${r}`]),
      ...CONFERENCE_ROLES.map((r) => `role.${r}`),
    ];
    expect(wanted.filter((k) => !reference.has(k))).toEqual([]);
  });

  it('exist for every election phase, method and move to the next phase', async () => {
    const { PHASES } = await import('../awards/elections');
    const wanted = [
      ...PHASES.map((p) => `awards.phase_${p}`),
      ...PHASES.slice(1).flatMap((p) => ['', '_title', '_text', '_confirm'].map((end) => `awards.to_${p}${end}`)),
      'awards.method_plurality',
      'awards.method_ranked',
    ];
    expect(wanted.filter((k) => !reference.has(k))).toEqual([]);
  });

  it('exist for every server error code and field rule', async () => {
    const { CONFLICT_KEYS, ERROR_CODE_KEYS, FIELD_CODE_KEYS } = await import('../errors');
    expect(FIELD_CODE_KEYS.length).toBeGreaterThan(20);
    expect(CONFLICT_KEYS.length).toBeGreaterThan(30);
    expect([...ERROR_CODE_KEYS, ...FIELD_CODE_KEYS, ...CONFLICT_KEYS].filter((k) => !reference.has(k))).toEqual([]);
  });
});
