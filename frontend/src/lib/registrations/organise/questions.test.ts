import { describe, expect, it } from 'vitest';
import type { Question } from '../../api';
import {
  draftOf,
  emptyQuestion,
  moved,
  placedFields,
  problemsOf,
  questionLanguages,
  toInput,
  withKind,
} from './questions';

const track: Question = {
  id: '3b0f2a57-1c4e-4f43-9d71-6f2f8e0c1a11',
  kind: 'single_choice',
  label: { en: 'Which track do you follow?', de: 'Welchem Track folgen Sie?' },
  options: [{ en: 'Industry' }, { en: 'Regions', fr: 'Régions' }],
  required: true,
};

describe('registration questions', () => {
  it('are worded in the conference languages and any other a question uses', () => {
    expect(questionLanguages(['en', 'fr'], [track])).toEqual(['en', 'fr', 'de']);
    expect(questionLanguages([], [])).toEqual(['en']);
  });

  it('keep their id and send no blank language', () => {
    const draft = draftOf(track, ['en', 'fr', 'de']);
    expect(draft.label).toEqual({ en: 'Which track do you follow?', fr: '', de: 'Welchem Track folgen Sie?' });
    draft.label.fr = '  Quel parcours suivez-vous ?  ';
    expect(toInput(draft)).toEqual({
      id: track.id,
      kind: 'single_choice',
      label: { en: 'Which track do you follow?', fr: 'Quel parcours suivez-vous ?', de: 'Welchem Track folgen Sie?' },
      options: [{ en: 'Industry' }, { en: 'Regions', fr: 'Régions' }],
      required: true,
    });
  });

  it('send a new question without an id, and choices only for a choice question', () => {
    const consent = { ...withKind(draftOf(track, ['en']), 'consent', ['en']) };
    expect(toInput(consent).options).toEqual([]);
    const fresh = emptyQuestion(['en', 'fr']);
    fresh.label.en = 'Dietary needs';
    expect(toInput(fresh)).toEqual({ kind: 'text', label: { en: 'Dietary needs' }, options: [], required: false });
    expect(fresh.key).not.toBe(emptyQuestion(['en']).key);
  });

  it('start a choice question with two blank choices', () => {
    const choice = withKind(emptyQuestion(['en', 'nl']), 'multiple_choice', ['en', 'nl']);
    expect(choice.options).toEqual([
      { en: '', nl: '' },
      { en: '', nl: '' },
    ]);
  });

  it('are found wanting where the server would say so', () => {
    const unworded = emptyQuestion(['en']);
    const choice = withKind(emptyQuestion(['en']), 'single_choice', ['en']);
    choice.label.en = 'Track';
    choice.options[0]!.en = 'Industry';
    const single = { ...choice, key: 'x', options: [{ en: 'Only one' }] };
    expect(problemsOf([unworded, choice, single])).toEqual({
      '0.label': { key: 'field_errors.required_in_a_language' },
      '1.options.1': { key: 'field_errors.required_in_a_language' },
      '2.options': { key: 'organise_registrations.options_too_few' },
    });
    expect(placedFields([unworded, single])).toEqual(['0.label', '0.options', '1.label', '1.options', '1.options.0']);
  });

  it('move within the list only', () => {
    expect(moved(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'c', 'b']);
    expect(moved(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moved(['a', 'b'], 1, 2)).toEqual(['a', 'b']);
  });
});
