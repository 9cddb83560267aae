// The conference list marks each conference the visitor has joined with their role in it
// (from GET /api/me/conferences).
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
//
// Needs a running Viaduc with the demo data (`viaduc demo`) and Debian's chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

const CONFERENCE = 'European Cluster Conference 2026';

for (const [email, role] of [
  ['attendee@demo.viaduc.eu', 'Attendee'],
  ['organiser@demo.viaduc.eu', 'Organiser'],
]) {
  test(`the conference list shows ${email} registered as ${role}`, { skip }, async () => {
    const browser = await launch();
    try {
      const problems = [];
      const page = await loggedInPage(browser, email, problems);
      await page.goto(BASE + '/');
      const card = page.locator('li', { has: page.getByRole('link', { name: CONFERENCE }) });
      await card.getByText(`Registered as ${role}`, { exact: true }).waitFor();
      if (role === 'Attendee') await screenshot(page, 'conferences.png');
      assert.deepEqual(problems, [], 'no uncaught errors in the page');
    } finally {
      await browser.close();
    }
  });
}
