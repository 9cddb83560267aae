// Two people in the same panel: the attendee's chat message reaches the moderator live over
// the WebSocket, links are rendered safely, and the moderator gets the moderation controls.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.VIADUC_URL?.replace(/\/$/, '');
const PASSWORD = 'viaduc-demo-2026';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

test('a chat message reaches everyone in the session live', { skip: !BASE && 'set VIADUC_URL to run' }, async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const problems = [];
    const open = async (email) => {
      const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 1100 } });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      await page.goto(BASE + '/login');
      await page.getByLabel('Email address').fill(email);
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Log in', exact: true }).click();
      await page.waitForURL((url) => !url.pathname.startsWith('/login'));
      return page;
    };
    const attendee = await open('attendee@demo.viaduc.eu');
    const moderator = await open('moderator@demo.viaduc.eu');

    const panels = await (await attendee.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=panel')).json();
    const sessionUrl = `${BASE}/c/ecc-2026/sessions/${panels[0].id}`;
    await attendee.goto(sessionUrl);
    await moderator.goto(sessionUrl);

    const message = `Bonjour from Lille ${Date.now()} https://example.eu/textile`;
    const box = attendee.getByRole('textbox', { name: /message/i });
    await box.fill(message);
    await box.press('Enter');

    const seen = moderator.getByText(message.split(' https')[0]);
    await seen.waitFor();
    const link = moderator.locator('a[href="https://example.eu/textile"]').first();
    assert.equal(await link.getAttribute('rel'), 'noopener nofollow ugc');
    await moderator.getByRole('button', { name: /hide/i }).first().waitFor();

    await mkdir(ARTIFACTS, { recursive: true });
    await moderator.screenshot({ path: join(ARTIFACTS, 'chat-moderator.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
