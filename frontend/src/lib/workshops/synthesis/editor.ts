/**
 * The synthesis' Markdown editor: CodeMirror 6 bound to the shared Yjs text
 * (y-codemirror.next), so remote edits appear as they arrive and one's undo only undoes
 * one's own typing. Loaded on demand (`import('./editor')`), so pages without a synthesis
 * do not download CodeMirror.
 */
import { defaultKeymap, indentWithTab } from '@codemirror/commands';
import { markdown } from '@codemirror/lang-markdown';
import { Compartment, EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, placeholder } from '@codemirror/view';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type * as Y from 'yjs';

export interface SynthesisEditor {
  setEditable(editable: boolean): void;
  destroy(): void;
}

export function mountEditor(
  parent: HTMLElement,
  text: Y.Text,
  options: { editable: boolean; label: string; empty: string },
): SynthesisEditor {
  const access = new Compartment();
  const rights = (editable: boolean) => [EditorView.editable.of(editable), EditorState.readOnly.of(!editable)];
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text.toString(),
      extensions: [
        drawSelection(),
        highlightActiveLine(),
        EditorView.lineWrapping,
        markdown(),
        placeholder(options.empty),
        // Tab indents inside the editor; Escape then Tab leaves it (CodeMirror's rule), so
        // keyboard users are never trapped.
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap, indentWithTab]),
        yCollab(text, null),
        access.of(rights(options.editable)),
        // Focusable also when read-only, so a keyboard can scroll a long synthesis.
        EditorView.contentAttributes.of({ 'aria-label': options.label, 'aria-multiline': 'true', tabindex: '0' }),
      ],
    }),
  });
  return {
    setEditable: (editable) => view.dispatch({ effects: access.reconfigure(rights(editable)) }),
    destroy: () => view.destroy(),
  };
}
