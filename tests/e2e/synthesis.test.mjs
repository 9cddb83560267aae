// A working group's synthesis written by two people at once: the facilitator names a seated
// participant rapporteur, pre-fills the empty document from the board, both type into it at
// the same time and each sees the other's words appear; the facilitator publishes a
// version, which the participant then reads on the conference's Outcomes page (screenshot),
// downloads as Markdown, and which is found again in the conference synthesis.
//
//   VIADUC_URL=http://127.0.0.1:8080 node --test synthesis.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

/** Takes a seat unless this person already has one (a second run on the same database). */
async function takeSeat(page) {
  const seats = page.getByRole('region', { name: 'Seats', exact: true });
  const signUp = seats.getByRole('button', { name: 'Sign up', exact: true });
  const seated = seats.getByText('You have a seat: the board is yours to write on.');
  await signUp.or(seated).first().waitFor();
  if (await signUp.isVisible()) await signUp.click();
  await seated.waitFor();
}

const synthesisOf = (page) => page.getByRole('region', { name: 'Synthesis', exact: true });
const editorOf = (page) => synthesisOf(page).getByRole('textbox', { name: 'The synthesis, in Markdown' });

/** The end of the document as the editor shows it: scrolled to the bottom first, since
 * CodeMirror only draws the lines near what is visible. */
async function endOfText(page) {
  const editor = synthesisOf(page).locator('.cm-editor');
  await editor.evaluate((el) => {
    el.scrollIntoView({ block: 'center' });
    const scroller = el.querySelector('.cm-scroller');
    scroller.scrollTop = scroller.scrollHeight;
  });
  await page.waitForTimeout(100);
  return editor.locator('.cm-content').innerText();
}

/** Waits until the end of the document on `page` shows `text`. */
async function untilShown(page, text) {
  const deadline = Date.now() + 15_000;
  let shown;
  while (!(shown = await endOfText(page)).includes(text)) {
    assert.ok(Date.now() < deadline, `never shown: ${text}; the end shows:\n${shown.slice(-600)}`);
    await page.waitForTimeout(100);
  }
}

/** Types `text` on a new line at the end of the document, a key at a time. */
async function typeAtEnd(page, text) {
  await editorOf(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  // A paragraph of its own (on a list item, the editor would continue the list).
  await page.keyboard.press('Enter');
  await page.keyboard.type(text, { delay: 15 });
}

test('a facilitator and a rapporteur co-write the synthesis and publish it to the Outcomes', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const facilitator = await loggedInPage(browser, 'speaker@demo.viaduc.eu', problems);
    const ana = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    const groups = await (await ana.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=working_group')).json();
    const textile = groups.find((s) => s.title.en.startsWith('Workshop: Textile'));
    assert.ok(textile, 'the demo has the textile workshop');
    const url = `${BASE}/c/ecc-2026/sessions/${textile.id}`;
    await facilitator.goto(url);
    await ana.goto(url);
    await takeSeat(ana);

    // The facilitator names Ana rapporteur; her editor becomes writable.
    const tools = synthesisOf(facilitator);
    await tools.getByRole('button', { name: 'Rapporteurs…' }).click();
    const ana_box = tools.getByRole('checkbox', { name: 'Aurélie Attendee' });
    if (!(await ana_box.isChecked())) await ana_box.check();
    await tools.getByRole('button', { name: 'Save rapporteurs' }).click();
    await tools.getByText('Rapporteurs saved.').waitFor();
    await synthesisOf(ana).getByText('Written by the facilitators and Aurélie Attendee.').waitFor();
    await synthesisOf(ana).getByText('All changes saved.').waitFor();

    // An empty document is pre-filled from the board (a second run finds it written).
    const prefill = tools.getByRole('button', { name: 'Pre-fill from the board' });
    await editorOf(facilitator).waitFor();
    if (await prefill.isVisible()) await prefill.click();
    for (const page of [facilitator, ana]) await untilShown(page, '## Taking part');

    // Both type at once; each sees the other's line as it is typed.
    const run = Date.now();
    const mine = `Facilitator: a shared training catalogue for both regions (${run})`;
    const hers = `Rapporteur: les deux clusters se rencontrent chaque trimestre (${run})`;
    await Promise.all([typeAtEnd(facilitator, mine), typeAtEnd(ana, hers)]);
    for (const page of [facilitator, ana]) {
      await untilShown(page, mine);
      await untilShown(page, hers);
    }
    await synthesisOf(facilitator).getByText('All changes saved.').waitFor();
    await synthesisOf(ana).getByText('All changes saved.').waitFor();
    const lastLines = (text) => text.split('\n').filter(Boolean).slice(-8).join('\n');
    const ends = await Promise.all([facilitator, ana].map(async (page) => lastLines(await endOfText(page))));
    assert.equal(ends[0], ends[1], 'the same end of the document on both screens');
    await audit(ana);

    // Published: a new version, visible on the Outcomes page.
    await tools.getByRole('button', { name: /^Publish version \d+$/ }).click();
    const published = await tools.getByText(/^Version \d+ is published on the Outcomes page\.$/).innerText();
    const number = Number(published.match(/\d+/)[0]);
    await synthesisOf(ana).getByText(new RegExp(`^Latest version: ${number},`)).waitFor();

    await ana.getByRole('link', { name: 'See it on the Outcomes page' }).click();
    await ana.getByRole('heading', { name: 'Outcomes', level: 2 }).waitFor();
    const article = ana.locator(`#group-${textile.id}`);
    await article.getByText(mine).waitFor();
    await article.getByText(hers).waitFor();
    await article.getByText(new RegExp(`^Version ${number}, published `)).waitFor();
    await audit(ana);
    await article.scrollIntoViewIfNeeded();
    await screenshot(ana, 'synthesis-outcomes.png');
    // Printed: the texts only, without the site's bars and buttons.
    await ana.emulateMedia({ media: 'print' });
    assert.equal(await ana.getByRole('button', { name: 'Print' }).isVisible(), false);
    await screenshot(ana, 'synthesis-print.png');
    await ana.emulateMedia({ media: 'screen' });

    // The Markdown download holds the same text.
    const markdown = await ana.request.get(
      `${BASE}/api/conferences/ecc-2026/outcomes/${textile.id}/versions/${number}/synthesis.md`,
    );
    assert.equal(markdown.status(), 200);
    const body = await markdown.text();
    assert.ok(body.includes(mine) && body.includes(hers), body);

    // The conference synthesis gathers it under the group's title, its points linked to notes.
    await ana.getByRole('button', { name: 'Conference synthesis' }).click();
    const gathered = ana.getByRole('article', { name: 'Conference synthesis' });
    await gathered.getByText(hers).waitFor();
    await gathered.getByRole('heading', { name: textile.title.en }).waitFor();
    await audit(ana);
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } catch (error) {
    for (const [i, page] of browser.contexts().flatMap((c) => c.pages()).entries()) {
      await screenshot(page, `synthesis-failed-${i}.png`);
    }
    throw error;
  } finally {
    await browser.close();
  }
});
