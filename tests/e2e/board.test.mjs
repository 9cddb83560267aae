// A working group's board with two participants and its facilitator, each on their own
// screen: both take a seat, notes appear live on the other screens (one tagged in Dutch), the
// facilitator opens a dot-voting round whose dots are counted on every screen, the keyword
// cloud folds "Émulation" and "emulation" into one word of one more person, the facilitator merges
// a duplicate into a note (a voter of both counted once), is told when a participant's edit
// replaced theirs, pins, groups and colours a note, starts a countdown, adds, prompts, moves
// and removes a section, and locks the board, which the participants see. The filled board
// (the demo's seed workshop and this test's notes) is screenshot at desktop width and at 390 px.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, newPage, screenshot, skip } from './browser.mjs';

/** A new member of the demo conference, logged in on a page of their own (signing up logs in). */
async function newParticipant(browser, problems, name) {
  const page = await newPage(browser, problems);
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Date.now()}@cluster.example`;
  const signup = await page.request.post(BASE + '/api/auth/signup', {
    data: { email, password: 'viaduc-demo-2026', display_name: name },
  });
  assert.equal(signup.status(), 201, await signup.text());
  const join = await page.request.post(BASE + '/api/conferences/ecc-2026/registration', { data: {} });
  assert.ok(join.ok(), await join.text());
  return page;
}

/** Takes a seat unless this person already has one (a second run on the same database). */
async function takeSeat(page) {
  const seats = page.getByRole('region', { name: 'Seats', exact: true });
  const signUp = seats.getByRole('button', { name: 'Sign up', exact: true });
  const seated = seats.getByText('You have a seat: the board is yours to write on.');
  await signUp.or(seated).first().waitFor();
  if (await signUp.isVisible()) await signUp.click();
  await seated.waitFor();
}

/** Writes a note in a section of the board, tagged with `language` when given. */
async function addNote(page, section, text, language) {
  const column = page.getByRole('region', { name: section, exact: true });
  await column.getByText('Add a note', { exact: true }).click();
  await column.getByLabel(`Your note in ${section}`).fill(text);
  if (language) await column.getByRole('combobox', { name: 'Language of the note' }).selectOption(language);
  await column.getByRole('button', { name: 'Add', exact: true }).click();
}

const note = (page, text) => page.getByRole('listitem').filter({ hasText: text });

test('two participants and a facilitator fill a working group’s board live', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const facilitator = await loggedInPage(browser, 'speaker@demo.viaduc.eu', problems);
    const ana = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    const bram = await newParticipant(browser, problems, 'Bram Vermeulen');

    const groups = await (await ana.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=working_group')).json();
    const textile = groups.find((s) => s.title.en.startsWith('Workshop: Textile'));
    assert.ok(textile, 'the demo has the textile workshop');
    const url = `${BASE}/c/ecc-2026/sessions/${textile.id}`;
    for (const page of [facilitator, ana, bram]) await page.goto(url);

    await facilitator.getByText('You run this working group: you can enter without a seat.').waitFor();
    await takeSeat(ana);
    await takeSeat(bram);
    const boards = [facilitator, ana, bram].map((page) => page.getByRole('region', { name: 'Board', exact: true }));
    for (const board of boards) await board.getByRole('region', { name: 'Questions', exact: true }).waitFor();

    // Notes appear live on the other screens, with their author and language.
    const run = Date.now();
    const barrier = `Les règles de marchés publics divergent d’un côté à l’autre de la frontière (${run})`;
    const finding = `Samenwerken tussen Frankrijk en Wallonië gaat makkelijker dan met Vlaanderen (${run})`;
    await addNote(ana, 'Questions', barrier, 'fr');
    await addNote(bram, 'Findings', finding, 'nl');
    await note(bram, barrier).getByText('Aurélie Attendee', { exact: false }).waitFor();
    await note(ana, finding).getByText('Bram Vermeulen', { exact: false }).waitFor();
    await note(facilitator, finding).waitFor();
    assert.equal(await note(facilitator, finding).locator('abbr', { hasText: 'nl' }).count(), 1, 'tagged as Dutch');

    // A round of 3 dots each: Ana puts 2 on her note, Bram 1; every screen counts 3.
    await facilitator.getByText('Facilitator tools', { exact: true }).click();
    // A round left open by a run that failed half-way is closed first.
    const closeRound = facilitator.getByRole('button', { name: 'Close the round', exact: true });
    if (await closeRound.isVisible()) await closeRound.click();
    await facilitator.getByLabel('Dots per person').fill('3');
    await facilitator.getByRole('button', { name: 'Open a round', exact: true }).click();
    await ana.getByText('3 dots left', { exact: true }).waitFor();
    const dot = (page) => note(page, barrier).getByRole('button', { name: /^Give this note a dot/ });
    await dot(ana).click();
    await note(ana, barrier).getByText('1 of yours').waitFor();
    await dot(ana).click();
    await note(ana, barrier).getByText('2 of yours').waitFor();
    await dot(bram).click();
    await note(facilitator, barrier).getByText('3 dots', { exact: true }).waitFor();
    await note(ana, barrier).getByText('3 dots', { exact: true }).waitFor();
    await ana.getByText('1 dot left', { exact: true }).waitFor();
    await bram.getByText('2 dots left', { exact: true }).waitFor();

    // The cloud folds case and accents: "Émulation" and "emulation" are one word, one more person.
    const propose = async (page, word) => {
      const keywords = page.getByRole('region', { name: 'Keywords', exact: true });
      const allowance = keywords.getByText(/^Your keywords: \d+ of \d+$/);
      const [, before, max] = (await allowance.textContent()).match(/(\d+) of (\d+)/);
      await keywords.getByLabel('A keyword').fill(word);
      await keywords.getByRole('button', { name: 'Propose', exact: true }).click();
      await keywords.getByText(`Your keywords: ${Number(before) + 1} of ${max}`).waitFor();
    };
    const takeBack = (page) =>
      page.getByRole('region', { name: 'Keywords', exact: true }).getByRole('button', { name: /^Take back “[ée]mulation”$/i });
    // Left by a run that failed half-way: taken back first.
    for (const page of [ana, bram]) {
      if (await takeBack(page).isVisible()) {
        await takeBack(page).click();
        await takeBack(page).waitFor({ state: 'detached' });
      }
    }
    const cloud = facilitator.getByRole('list', { name: 'Keyword cloud' });
    const emulation = cloud.getByRole('listitem').filter({ hasText: /^[ée]mulation/i });
    const people = async () => Number((await emulation.textContent()).match(/\((\d+) (?:person|people)\)/)[1]);
    await propose(ana, 'Émulation');
    await emulation.waitFor();
    const before = await people();
    await propose(bram, 'emulation');
    await emulation.filter({ hasText: `(${before + 1} people)` }).waitFor();
    assert.equal(await emulation.count(), 1, 'one word in the cloud');

    // A duplicate merged into the note: it leaves every screen and its text joins the kept
    // one; Bram dotted both, so he keeps one dot there and gets the other back.
    const duplicate = `Règles de marchés publics différentes (${run})`;
    await addNote(bram, 'Questions', duplicate, 'fr');
    await note(bram, duplicate).getByRole('button', { name: /^Give this note a dot/ }).click();
    await note(facilitator, duplicate).getByText('1 dot', { exact: true }).waitFor();
    await bram.getByText('1 dot left', { exact: true }).waitFor();
    await note(facilitator, duplicate).getByRole('button', { name: 'Merge…' }).click();
    await note(facilitator, barrier).getByRole('button', { name: 'Merge here' }).click();
    await note(ana, duplicate).filter({ hasNotText: barrier }).waitFor({ state: 'detached' });
    await note(ana, barrier).filter({ hasText: duplicate }).getByText('3 dots', { exact: true }).waitFor();
    await bram.getByText('2 dots left', { exact: true }).waitFor();

    // Two edits of one note at once: the later wins and the facilitator, whose edit it
    // replaced, is told who wrote it.
    const secondFinding = `Peu de communication entre organisations corporatistes (${run})`;
    await addNote(ana, 'Findings', secondFinding, 'fr');
    await note(ana, secondFinding).getByRole('button', { name: 'Edit', exact: true }).click();
    await note(facilitator, secondFinding).getByRole('button', { name: 'Edit', exact: true }).click();
    await facilitator.getByLabel('Edit the note').fill(`${secondFinding} (facilitator)`);
    await facilitator.getByRole('button', { name: 'Save', exact: true }).click();
    await note(facilitator, `${secondFinding} (facilitator)`).waitFor();
    await ana.getByLabel('Edit the note').fill(`${secondFinding} — entre fédérations aussi`);
    await ana.getByRole('button', { name: 'Save', exact: true }).click();
    await facilitator
      .getByRole('alert')
      .filter({ hasText: 'Aurélie Attendee changed this note at the same time: their version replaced your edit.' })
      .waitFor();
    await note(facilitator, `${secondFinding} — entre fédérations aussi`).waitFor();
    await facilitator.getByRole('button', { name: 'Dismiss', exact: true }).click();

    // Pinned, grouped and coloured by the facilitator: every screen shows it so.
    const kept = note(facilitator, barrier).filter({ hasText: duplicate });
    await kept.getByRole('button', { name: 'Arrange', exact: true }).click();
    await kept.getByLabel('Blue', { exact: true }).check();
    await kept.getByLabel('Pin at the top').check();
    await kept.getByLabel('Group', { exact: true }).fill('Marchés publics');
    await kept.getByRole('button', { name: 'Save', exact: true }).click();
    await ana.getByRole('heading', { name: 'Marchés publics' }).waitFor();
    await note(ana, barrier).getByText('Pinned', { exact: true }).waitFor();

    // A countdown on every screen.
    await facilitator.getByLabel('Minutes', { exact: true }).fill('5');
    await facilitator.getByLabel('What for (optional)').fill('Propositions');
    await facilitator.getByRole('button', { name: 'Start', exact: true }).click();
    await ana.getByText('Propositions', { exact: true }).waitFor();
    assert.match(await ana.getByRole('timer').textContent(), /^[45]:\d\d$/);

    await audit(facilitator);
    await screenshot(facilitator, 'board-facilitator-desktop.png');
    await audit(ana);
    await screenshot(ana, 'board-participant-desktop.png');
    await ana.setViewportSize({ width: 390, height: 900 });
    await audit(ana);
    await screenshot(ana, 'board-participant-mobile.png');
    await facilitator.setViewportSize({ width: 390, height: 900 });
    await audit(facilitator);
    await screenshot(facilitator, 'board-facilitator-mobile.png');

    // A section added, given a prompt, moved before Keywords and removed, on every screen.
    await facilitator.getByRole('textbox', { name: 'Section title', exact: true }).fill('Visibility');
    await facilitator.getByRole('button', { name: 'Add a section', exact: true }).click();
    const added = facilitator.getByRole('region', { name: 'Visibility', exact: true });
    await added.getByRole('button', { name: 'Rename, prompts' }).click();
    await added.getByLabel('Prompt questions').fill('Who should hear about this platform?');
    await added.getByRole('button', { name: 'Save', exact: true }).click();
    const seen = ana.getByRole('region', { name: 'Visibility', exact: true });
    await seen.getByText('Who should hear about this platform?').waitFor();
    await added.getByRole('button', { name: /Earlier/ }).click();
    const order = async (page) => (await page.locator('.sections h4').allTextContents()).slice(-2);
    for (let tries = 0; (await order(ana))[0] !== 'Visibility'; tries++) {
      assert.ok(tries < 50, 'the section moved before Keywords');
      await ana.waitForTimeout(100);
    }
    await added.getByRole('button', { name: 'Remove', exact: true }).click();
    await added.getByRole('button', { name: 'Remove the section', exact: true }).click();
    await seen.waitFor({ state: 'detached' });

    // Locked: the participants see it and can no longer add notes.
    await facilitator.getByRole('button', { name: 'Close the round', exact: true }).click();
    await facilitator.getByLabel('Lock the board (participants can no longer write)').check();
    await bram.getByText('Locked by the facilitator').waitFor();
    const findings = bram.getByRole('region', { name: 'Findings', exact: true });
    assert.equal(await findings.getByText('Add a note', { exact: true }).count(), 0, 'no new notes on a locked board');
    await facilitator.getByLabel('Lock the board (participants can no longer write)').uncheck();
    await facilitator.getByRole('button', { name: 'Clear the countdown', exact: true }).click();
    await ana.getByRole('timer').waitFor({ state: 'detached' });
    await bram.getByText('Locked by the facilitator').waitFor({ state: 'detached' });

    // Taken back (also so that the next run can propose them again): the cloud counts them out.
    for (const page of [ana, bram]) await takeBack(page).click();
    // Back to the people before Ana's (gone from the cloud when there were none).
    if (before === 1) await emulation.waitFor({ state: 'detached' });
    else await emulation.filter({ hasText: `(${before - 1} ` }).waitFor();
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});

test('a freed seat goes to the first person waiting, whose board opens at once', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    const api = (path) => `${BASE}/api/conferences/ecc-2026/sessions${path}`;
    const groups = await (await organiser.request.get(api('?kind=working_group'))).json();
    const medtech = groups.find((s) => s.title.en.startsWith('Workshop: health and medtech'));
    assert.ok(medtech, 'the demo has the medtech workshop');
    // One seat left, whoever is seated already.
    const { seated } = await (await organiser.request.get(api(`/${medtech.id}/seats`))).json();
    const { kind, title, description, starts_at, ends_at, visibility, languages, stream_url } = medtech;
    const update = await organiser.request.put(api(`/${medtech.id}`), {
      data: { kind, title, description, starts_at, ends_at, visibility, languages, stream_url, venue: null, capacity: seated + 1 },
    });
    assert.ok(update.ok(), await update.text());

    const first = await newParticipant(browser, problems, 'Chloé Martin');
    const second = await newParticipant(browser, problems, 'Jonas Weber');
    const url = `${BASE}/c/ecc-2026/sessions/${medtech.id}`;
    await first.goto(url);
    await takeSeat(first);
    await second.goto(url);
    const waiting = second.getByRole('region', { name: 'Seats', exact: true });
    await waiting.getByText('No seats left of', { exact: false }).waitFor();
    await waiting.getByRole('button', { name: 'Join the waitlist', exact: true }).click();
    await waiting.getByText('You are number 1 on the waitlist.', { exact: false }).waitFor();
    assert.equal(await second.getByRole('region', { name: 'Board', exact: true }).count(), 0, 'no board while waiting');
    await audit(second);

    await first.getByRole('button', { name: 'Give my seat back', exact: true }).click();
    await waiting.getByText('You got a seat! The board is open to you.').waitFor();
    await second.getByRole('region', { name: 'Board', exact: true }).getByRole('region', { name: 'Questions', exact: true }).waitFor();
    await audit(second);
    await screenshot(second, 'board-promoted.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
