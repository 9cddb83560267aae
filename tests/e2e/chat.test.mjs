// Two people in the same panel: the attendee's chat message reaches the moderator live over
// the WebSocket, links are rendered safely, and the moderator hides the message (the attendee
// no longer sees it), mutes its author and lifts the mute.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

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
    await screenshot(moderator, 'chat-moderator.png');

    // The moderation controls are buttons named after the message and its author.
    const sent = moderator.getByRole('listitem').filter({ hasText: message.split(' https')[0] });
    const time = (await sent.locator('time').innerText()).trim();
    await sent.getByRole('button', { name: `Hide the message from Aurélie Attendee at ${time}` }).click();
    await sent.getByText('Hidden by a moderator').waitFor();
    await attendee.getByText(message.split(' https')[0]).waitFor({ state: 'detached' });

    await sent.getByRole('button', { name: 'Mute for 15 min: Aurélie Attendee' }).click();
    await sent.getByRole('button', { name: 'Unmute Aurélie Attendee' }).waitFor();
    await audit(moderator);
    await screenshot(moderator, 'chat-moderated.png');
    await sent.getByRole('button', { name: 'Unmute Aurélie Attendee' }).click();
    await sent.getByRole('button', { name: 'Mute for 15 min: Aurélie Attendee' }).waitFor();
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
