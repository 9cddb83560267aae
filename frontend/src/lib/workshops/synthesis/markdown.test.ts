import { describe, expect, it } from 'vitest';
import { renderSynthesis } from './markdown';

describe('renderSynthesis', () => {
  const group = { slug: 'ecc-2026', session: 's1' };

  it('leads a point back to its note on the group board', () => {
    const html = renderSynthesis('- Shared trainings · 3 dots [↗](note:n1)', group);
    expect(html).toBe('<ul>\n<li>Shared trainings · 3 dots <a href="/c/ecc-2026/sessions/s1#note-n1">↗</a></li>\n</ul>\n');
  });

  it('shows raw HTML as text and refuses script links', () => {
    const html = renderSynthesis('<img src=x onerror=alert(1)> [x](javascript:alert(1))', group);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('&lt;img');
  });

  it('marks links to other sites as user content', () => {
    expect(renderSynthesis('[site](https://example.eu)')).toContain('rel="noopener nofollow ugc"');
  });
});
