// The built frontend reaches the browser compressed: the script and the stylesheet come as
// brotli (what Chromium asks for first), are cached for a year, and decode to the same bytes
// as the gzip copy and the file itself. This checks the whole chain on the real build:
// `npm run build` writes the copies, the server embeds and picks them.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, newPage, skip } from './browser.mjs';

test('the script and the stylesheet arrive brotli-compressed and cached for a year', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems);
    const assets = [];
    page.on('response', (response) => {
      if (/\/assets\/[^/]+\.(js|css)$/.test(new URL(response.url()).pathname)) assets.push(response);
    });
    await page.goto(BASE + '/login');
    // The page works, so the browser decoded what it got.
    await page.getByLabel('Email address').waitFor();

    assert.deepEqual(assets.map((r) => new URL(r.url()).pathname.split('.').pop()).sort(), ['css', 'js']);
    for (const response of assets) {
      const headers = await response.allHeaders();
      const name = new URL(response.url()).pathname;
      assert.equal(response.status(), 200, name);
      assert.equal(headers['content-encoding'], 'br', name);
      assert.equal(headers['vary'], 'accept-encoding', name);
      assert.equal(headers['cache-control'], 'public, max-age=31536000, immutable', name);
      const brotli = await response.body();
      // The API client decodes too; the header it sends picks the copy.
      for (const accept of ['gzip', 'identity']) {
        const other = await page.request.get(response.url(), { headers: { 'accept-encoding': accept } });
        assert.equal(other.headers()['content-encoding'], accept === 'gzip' ? 'gzip' : undefined, `${name} ${accept}`);
        assert.ok((await other.body()).equals(brotli), `${name}: the ${accept} answer decodes to the same bytes`);
      }
      const size = Number(headers['content-length']);
      assert.ok(size < brotli.length / 3, `${name}: ${size} bytes sent for ${brotli.length}`);
    }
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});
