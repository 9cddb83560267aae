// Two people in the same panel: the attendee's chat message reaches the moderator live over
// the WebSocket, links are rendered safely, and the moderator gets the moderation controls.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

test('a chat message reaches everyone in the session live', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    const moderator = await loggedInPage(browser, 'moderator@demo.viaduc.eu', problems);

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

    await screenshot(moderator, 'chat-moderator.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
