/**
 * A published synthesis as HTML for the Outcomes page. The Markdown is people's text, so
 * raw HTML is shown as text (markdown-it with `html: false`, which also refuses
 * `javascript:` and similar links), links to other sites are marked `nofollow ugc`, and a
 * point's `note:<id>` link (the pre-fill's way back to the sticky note it came from) leads
 * to that note on the group's board.
 */
import MarkdownIt from 'markdown-it';

const NOTE = 'note:';

/** Where a group's notes live: its session page, `#note-<id>`. */
export function noteHref(slug: string, session: string, note: string): string {
  return `/c/${encodeURIComponent(slug)}/sessions/${encodeURIComponent(session)}#note-${encodeURIComponent(note)}`;
}

function renderer() {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
  const accepts = md.validateLink.bind(md);
  md.validateLink = (url) => url.startsWith(NOTE) || accepts(url);
  return md;
}

const md = renderer();

/** `markdown` as HTML; `group` says whose notes its `note:` links point to. */
export function renderSynthesis(markdown: string, group?: { slug: string; session: string }): string {
  const tokens = md.parse(markdown, {});
  for (const token of tokens) {
    for (const child of token.children ?? []) {
      if (child.type !== 'link_open') continue;
      const href = String(child.attrGet('href') ?? '');
      if (href.startsWith(NOTE)) {
        if (group) child.attrSet('href', noteHref(group.slug, group.session, href.slice(NOTE.length)));
        else child.attrSet('href', '#');
      } else if (/^https?:/i.test(href)) {
        child.attrSet('rel', 'noopener nofollow ugc');
      }
    }
  }
  return md.renderer.render(tokens, md.options, {});
}
