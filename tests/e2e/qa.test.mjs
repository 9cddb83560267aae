// A panel's Q&A with two people: the moderator (in English) turns pre-moderation on; the
// attendee (in German) asks, sees the question wait for approval; the moderator approves it
// and marks it "now answering", which the attendee sees; the attendee's upvote reaches the
// moderator's count. Then the attendee raises a hand, which reaches the moderator's queue; the
// invitation to speak reaches the attendee with the speakers' room link.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

test('a question is asked, approved, answered live and upvoted; a hand is raised and invited', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const moderator = await loggedInPage(browser, 'moderator@demo.viaduc.eu', problems);
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    await attendee.evaluate(() => localStorage.setItem('viaduc.locale', 'de'));

    const panels = await (await attendee.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=panel')).json();
    const page = `${BASE}/c/ecc-2026/sessions/${panels[0].id}`;
    await moderator.goto(page);
    await attendee.goto(page);
    const console = moderator.getByRole('region', { name: 'Questions', exact: true });
    const qa = attendee.getByRole('region', { name: 'Fragen', exact: true });

    const premoderation = console.getByLabel('Approve questions before they are shown');
    await premoderation.waitFor();
    if (!(await premoderation.isChecked())) await premoderation.check();
    await qa.getByText('Fragen erscheinen, sobald eine Moderatorin oder ein Moderator sie freigibt.').waitFor();

    const text = `Wie finanzieren sich Cluster grenzüberschreitend? ${Date.now()}`;
    await qa.getByLabel('Ihre Frage').fill(text);
    await qa.getByRole('button', { name: 'Fragen', exact: true }).click();
    const mine = qa.getByRole('listitem').filter({ hasText: text });
    await mine.getByText('Wartet auf Freigabe').waitFor();
    assert.equal(await mine.getByText('DE', { exact: true }).count(), 1, 'tagged with the language it was asked in');

    const waiting = console.getByRole('listitem').filter({ hasText: text });
    await waiting.getByText('Waiting for approval').waitFor();
    await waiting.getByText('Aurélie Attendee', { exact: false }).waitFor();
    await audit(moderator);
    await screenshot(moderator, 'qa-moderator.png');
    await waiting.getByRole('button', { name: 'Approve' }).click();
    await waiting.getByRole('button', { name: 'Answer now' }).click();
    await waiting.getByText('Now answering').waitFor();

    await mine.getByText('Wird gerade beantwortet').waitFor();
    await mine.getByRole('button', { name: /^0 Stimmen — dafür stimmen$/ }).click();
    await mine.getByRole('button', { name: /^1 Stimme — Ihre Stimme zurücknehmen$/ }).waitFor();
    await waiting.getByRole('button', { name: /^1 vote — upvote$/ }).waitFor();
    await audit(attendee);
    await screenshot(attendee, 'qa-attendee-de.png');
    // On a phone the questions are a tab beside the chat.
    await attendee.setViewportSize({ width: 390, height: 900 });
    await attendee.getByRole('tab', { name: 'Fragen', exact: true }).click();
    await mine.scrollIntoViewIfNeeded();
    await screenshot(attendee, 'qa-attendee-de-mobile.png');
    await moderator.setViewportSize({ width: 390, height: 900 });
    await moderator.getByRole('tab', { name: 'Questions', exact: true }).click();
    await waiting.scrollIntoViewIfNeeded();
    await screenshot(moderator, 'qa-moderator-mobile.png');

    // Back as it was, for the next run: answered, and questions shown at once.
    await waiting.getByRole('button', { name: 'Mark answered' }).click();
    await waiting.getByText('Answered', { exact: true }).waitFor();
    await premoderation.uncheck();
    await mine.getByText('Beantwortet', { exact: true }).waitFor();

    // A raised hand: the moderator's queue, then the invitation with the speakers' room.
    const hands = moderator.getByRole('region', { name: 'Speak', exact: true });
    const speak = attendee.getByRole('region', { name: 'Wortmeldung', exact: true });
    await hands.getByLabel('Speakers’ room link').fill('https://meet.jit.si/ecc-2026-speakers');
    await hands.getByRole('button', { name: 'Save', exact: true }).click();
    await speak.getByRole('button', { name: 'Hand heben' }).click();
    const raised = hands.getByRole('listitem').filter({ hasText: 'Aurélie Attendee' });
    await raised.getByText('Raised', { exact: true }).waitFor();
    await hands.getByText('1 raised hand').waitFor();
    await raised.getByRole('button', { name: 'Invite to speak' }).click();
    await speak.getByText('Sie sind eingeladen zu sprechen.').waitFor();
    const join = speak.getByRole('link', { name: /In den Raum der Sprechenden/ });
    assert.equal(await join.getAttribute('href'), 'https://meet.jit.si/ecc-2026-speakers');
    await audit(attendee);
    await screenshot(attendee, 'hands-attendee-de.png');
    await speak.getByRole('button', { name: 'Annehmen' }).click();
    await raised.getByText('Accepted', { exact: true }).waitFor();
    await audit(moderator);
    await hands.getByRole('button', { name: 'Lower all hands' }).click();
    await speak.getByRole('button', { name: 'Hand heben' }).waitFor();
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
