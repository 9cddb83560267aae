// Running a panel's stage, with two people: the organiser drafts a poll ahead from the
// organise page and writes a speaker's card; on the session page the attendee (in French) claps, which floats up on the
// moderator's screen; the attendee asks a question and raises a hand, and both reach the
// moderator's one stage queue, in the order they came, then — with the fairness rule — the
// person who has not spoken yet first; the moderator takes the question from the queue. The
// moderator sees who came and downloads the questions as CSV.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

test('polls drafted ahead, reactions, the one stage queue, attendance and downloads', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    const panels = await (await organiser.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=panel')).json();
    const panel = panels.at(-1);

    // A poll drafted ahead, from the organise page.
    await organiser.goto(`${BASE}/c/ecc-2026/organise/${panel.id}`);
    const drafting = organiser.getByRole('region', { name: 'Polls', exact: true });
    const question = `Which programme funds you? ${Date.now()}`;
    await drafting.getByLabel('Question', { exact: true }).fill(question);
    await drafting.getByLabel('Option 1').fill('Interreg');
    await drafting.getByLabel('Option 2').fill('Horizon Europe');
    await drafting.getByRole('button', { name: 'Save as draft' }).click();
    await drafting.getByRole('listitem').filter({ hasText: question }).getByText('Draft').waitFor();
    await screenshot(organiser, 'organise-polls.png');
    // A speaker card: a short bio, shown on the session page in the reader's language (in
    // English where the card has no French).
    const bio = `Runs the ICT cluster of Silesia. ${Date.now()}`;
    const card = organiser.locator('details', { hasText: 'Speaker card of Agnieszka Nowak' });
    await card.getByText('Speaker card of Agnieszka Nowak').click();
    await card.getByLabel('Short bio in English').fill(bio);
    await card.getByRole('button', { name: 'Save the card' }).click();
    await card.getByText('Card saved.').waitFor();

    const moderator = await loggedInPage(browser, 'moderator@demo.viaduc.eu', problems);
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    await attendee.evaluate(() => localStorage.setItem('viaduc.locale', 'fr'));
    const page = `${BASE}/c/ecc-2026/sessions/${panel.id}`;
    await moderator.goto(page);
    await attendee.goto(page);

    // The draft is the session's: its moderator finds it there.
    const polls = moderator.getByRole('region', { name: 'Polls', exact: true });
    await polls.getByRole('listitem').filter({ hasText: question }).waitFor();

    // A clap floats up on every screen.
    await attendee.getByRole('group', { name: 'Réagir' }).getByRole('button', { name: 'Applaudir' }).click();
    await moderator.locator('.reactions .floater', { hasText: '👏' }).first().waitFor({ state: 'attached' });

    // A question and a hand, in the one stage queue in the order they came.
    const queue = moderator.getByRole('region', { name: 'Stage queue', exact: true });
    const fair = queue.getByLabel('People who have not spoken yet first');
    await fair.waitFor();
    if (await fair.isChecked()) await fair.uncheck();
    const qa = attendee.getByRole('region', { name: 'Questions', exact: true });
    const text = `Comment financer un cluster transfrontalier ? ${Date.now()}`;
    await qa.getByLabel('Votre question').fill(text);
    await qa.getByRole('button', { name: 'Poser', exact: true }).click();
    const speak = attendee.getByRole('region', { name: 'Prendre la parole', exact: true });
    await speak.getByRole('button', { name: 'Lever la main' }).click();
    const asked = queue.getByRole('listitem').filter({ hasText: text });
    const raised = queue.getByRole('listitem').filter({ hasText: 'Hand raised' });
    await asked.waitFor();
    await raised.waitFor();
    await audit(moderator);
    await screenshot(moderator, 'stage-queue-moderator.png');

    // The question is taken from the queue: it is on stage now, and the attendee sees it answered live.
    await asked.getByRole('button', { name: 'Take the question' }).click();
    const current = queue.getByRole('listitem').filter({ hasText: text });
    await current.getByRole('button', { name: 'Done' }).waitFor();
    await qa.getByRole('listitem').filter({ hasText: text }).getByText('Réponse en cours').waitFor();
    // With the fairness rule, the attendee has spoken now: marked so in the queue.
    await fair.check();
    await raised.getByText('has spoken').waitFor();
    await moderator.setViewportSize({ width: 390, height: 900 });
    await queue.scrollIntoViewIfNeeded();
    await screenshot(moderator, 'stage-queue-moderator-mobile.png');
    await moderator.setViewportSize({ width: 1280, height: 1100 });
    await current.getByRole('button', { name: 'Done' }).click();
    await raised.getByRole('button', { name: 'Set aside Aurélie Attendee' }).click();
    await speak.getByRole('button', { name: 'Lever la main' }).waitFor();
    await fair.uncheck();

    // Who came, and the downloads.
    const crew = moderator.getByRole('region', { name: 'Attendance and downloads', exact: true });
    await crew.getByRole('button', { name: 'Who came' }).click();
    await crew.getByRole('cell', { name: 'Aurélie Attendee' }).waitFor();
    await audit(moderator);
    await screenshot(moderator, 'crew-moderator.png');
    const link = crew.getByRole('link', { name: 'Questions with votes (CSV)' });
    const csv = await moderator.request.get(BASE + (await link.getAttribute('href')));
    assert.equal(csv.status(), 200);
    assert.match(await csv.text(), /^Question,Votes,Status,Language,Asked by/);
    assert.ok((await csv.text()).includes(text), 'the new question is in the export');
    // Attendees have no such panel, nor the file.
    assert.equal(await attendee.getByRole('region', { name: 'Présences et téléchargements' }).count(), 0);
    assert.equal((await attendee.request.get(BASE + (await link.getAttribute('href')))).status(), 403);

    await attendee.getByText(bio).waitFor();
    await audit(attendee);
    await screenshot(attendee, 'stage-attendee-fr.png');
    await attendee.setViewportSize({ width: 390, height: 900 });
    await screenshot(attendee, 'stage-attendee-fr-mobile.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
