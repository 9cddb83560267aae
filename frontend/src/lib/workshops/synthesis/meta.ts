/**
 * What the synthesis panel shows beside the text: the rapporteurs and the published
 * versions, from the snapshot and the room's events; and who may write. Pure (no Yjs), so
 * the panel can show it before the editor's code has loaded.
 */
import type { Person, SynthesisEvent, SynthesisSnapshot, Version } from './live';

/** What the panel shows beside the text. */
export interface SynthesisMeta {
  rapporteurs: Person[];
  /** Oldest first. */
  versions: Version[];
}

export function metaOf(part: SynthesisSnapshot): SynthesisMeta {
  return { rapporteurs: part.rapporteurs, versions: part.versions };
}

/** `meta` after a room event (document updates change no meta). */
export function applyMeta(meta: SynthesisMeta, event: SynthesisEvent): SynthesisMeta {
  switch (event.name) {
    case 'synthesis.rapporteurs':
      return { ...meta, rapporteurs: event.data.rapporteurs };
    case 'synthesis.published':
      return meta.versions.some((v) => v.number === event.data.number)
        ? meta
        : { ...meta, versions: [...meta.versions, event.data] };
    case 'synthesis.updated':
      return meta;
  }
}

/** Whether `userId` may write, given the room's roles and the rapporteurs. */
export function canWrite(roles: readonly string[], meta: SynthesisMeta, userId: string | null): boolean {
  return roles.includes('moderator') || (userId !== null && meta.rapporteurs.some((p) => p.id === userId));
}
