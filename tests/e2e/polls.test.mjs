// A panel's stage and poll with two people: the moderator (in English) puts the session live
// and pins a message, which the attendee (in French) sees at once; then drafts a poll and
// opens it; the attendee sees it appear and answers; the moderator shows the results, and the
// attendee's bars show them with the number of answers; closed, the result stays.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

test('the stage goes live, and a poll is drafted, opened, answered and its results shown', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const moderator = await loggedInPage(browser, 'moderator@demo.viaduc.eu', problems);
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    await attendee.evaluate(() => localStorage.setItem('viaduc.locale', 'fr'));

    const panels = await (await attendee.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=panel')).json();
    const page = `${BASE}/c/ecc-2026/sessions/${panels[0].id}`;

    // The organiser sets a YouTube watch link as the stream: the stage embeds its player.
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    const sessionUrl = `${BASE}/api/conferences/ecc-2026/sessions/${panels[0].id}`;
    const original = await (await organiser.request.get(sessionUrl)).json();
    const withStream = { ...original, stream_url: 'https://www.youtube.com/watch?v=dQw4w9WgXcQ' };
    assert.equal((await organiser.request.put(sessionUrl, { data: withStream })).status(), 200);
    await moderator.goto(page);
    await attendee.goto(page);
    const player = attendee.locator('iframe');
    await player.waitFor({ state: 'attached' });
    assert.equal(await player.getAttribute('src'), 'https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ');
    const console = moderator.getByRole('region', { name: 'Polls', exact: true });
    const polls = attendee.getByRole('region', { name: 'Sondages', exact: true });

    const controls = moderator.getByRole('group', { name: 'Stage controls' });
    await controls.getByRole('button', { name: 'Live', exact: true }).click();
    await attendee.getByText('En direct', { exact: true }).waitFor();
    const pinned = `Slides: https://example.eu/slides/${Date.now()}`;
    await controls.getByLabel('Pinned message').fill(pinned);
    await controls.getByRole('button', { name: 'Pin', exact: true }).click();
    await attendee.getByText(pinned).waitFor();

    const question = `Where should the next conference be? ${Date.now()}`;
    const draft = console.getByRole('form', { name: 'New poll' });
    await draft.getByLabel('Question').fill(question);
    await draft.getByLabel('Option 1').fill('Lille');
    await draft.getByLabel('Option 2').fill('Gent');
    await draft.getByRole('button', { name: 'Add an option' }).click();
    await draft.getByLabel('Option 3').fill('Aachen');
    await draft.getByRole('button', { name: 'Save as draft' }).click();
    const card = console.getByRole('listitem').filter({ hasText: question });
    await card.getByText('Draft', { exact: true }).waitFor();
    assert.equal(await polls.getByText(question).count(), 0, 'a draft stays backstage');

    await card.getByRole('button', { name: 'Open', exact: true }).click();
    const seen = polls.getByRole('listitem').filter({ hasText: question });
    await seen.getByText('Ouvert', { exact: true }).waitFor();
    await seen.getByLabel('Gent').check();
    await seen.getByRole('button', { name: 'Répondre' }).click();
    await seen.getByText('Votre réponse : Gent').waitFor();
    await card.getByText('1 answer', { exact: true }).waitFor();
    await card.getByText('1 · 100 %').waitFor();

    await card.getByRole('button', { name: 'Show results' }).click();
    await seen.getByText('1 · 100 %').waitFor();
    await seen.getByText('1 réponse', { exact: true }).waitFor();
    await audit(attendee);
    await screenshot(attendee, 'poll-attendee-fr.png');
    // On a phone the polls are a tab beside the chat.
    await attendee.setViewportSize({ width: 390, height: 900 });
    await attendee.getByRole('tab', { name: 'Sondages', exact: true }).click();
    await seen.scrollIntoViewIfNeeded();
    await screenshot(attendee, 'poll-attendee-fr-mobile.png');
    await audit(moderator);
    await screenshot(moderator, 'poll-moderator.png');

    await card.getByRole('button', { name: 'Close', exact: true }).click();
    await seen.getByText('Clos', { exact: true }).waitFor();
    assert.equal(await seen.getByRole('button', { name: 'Répondre' }).count(), 0, 'no more answers');
    await seen.getByText('1 · 100 %').waitFor();

    // Back as it was, for the next run.
    assert.equal((await organiser.request.put(sessionUrl, { data: original })).status(), 200);
    await controls.getByRole('button', { name: 'Unpin' }).click();
    await attendee.getByText(pinned).waitFor({ state: 'detached' });
    await controls.getByRole('button', { name: 'Upcoming', exact: true }).click();
    await attendee.getByText('En direct', { exact: true }).waitFor({ state: 'detached' });
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
