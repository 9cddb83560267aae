// The European Cluster Manager of the Year, from nomination to the public board, with five
// people. The organiser sets an election up over REST; the attendee nominates through the
// form; the organiser shortlists two candidates and opens voting. The attendee votes in the
// booth with the keyboard only, confirms, and gets the receipt code; the speaker (in French)
// votes too. The moderator, in another browser, closes and reveals: the attendee's page shows
// the winner's banner without a reload, the stage view names the winner, and the attendee
// finds their ballot on the public board (which a visitor reads without logging in) and
// recounts it in the browser. The attendee's browser watched the close, so it kept the audit
// chain's head of that moment, and the board says the published chain still holds it; the
// visitor's did not, and a made-up anchor is reported as a rewritten board. Then a
// ranked-choice election, the ranking built with buttons.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, newPage, screenshot, skip } from './browser.mjs';

const SLUG = 'ecc-2026';
const API = () => `${BASE}/api/conferences/${SLUG}/elections`;

/** A request of the page's person that must succeed; answers the JSON body. */
async function call(page, method, url, data) {
  const res = await page.request.fetch(url, { method, data });
  assert.ok(res.ok(), `${method} ${url}: ${res.status()} ${await res.text()}`);
  return res.status() === 204 ? null : res.json();
}

/** A new election in its shortlist with `names` as candidates, opened to voting when `open`. */
async function electionWith(organiser, { title, method, names, open = true }) {
  const election = await call(organiser, 'POST', API(), {
    title,
    description: { en: 'Chosen by the attendees of the conference.' },
    method,
    opens_at: null,
    closes_at: null,
  });
  await call(organiser, 'POST', `${API()}/${election.id}/phase`, { phase: 'shortlist' });
  for (const [name, cluster, country] of names) {
    await call(organiser, 'POST', `${API()}/${election.id}/candidates`, {
      nomination_id: null,
      name,
      cluster,
      organisation: `${cluster} e.V.`,
      country,
      photo_url: null,
      statement: { en: `${name} opened the cluster to its neighbours.`, fr: `${name} a ouvert le cluster à ses voisins.` },
    });
  }
  if (open) await call(organiser, 'POST', `${API()}/${election.id}/phase`, { phase: 'voting' });
  return election;
}

test('an election: nominated, shortlisted, voted in the booth, revealed everywhere, checked on the board', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const stamp = Date.now();
    const title = { en: `European Cluster Manager of the Year ${stamp}`, fr: `Manager de cluster européen de l’année ${stamp}` };
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);

    // Nominations: the organiser creates the election, the attendee nominates in the form.
    const election = await call(organiser, 'POST', API(), {
      title,
      description: { en: 'Chosen by the attendees of the conference.' },
      method: 'plurality',
      opens_at: null,
      closes_at: null,
    });
    const page = `${BASE}/c/${SLUG}/awards/${election.id}`;
    await attendee.goto(`${BASE}/c/${SLUG}/awards`);
    await attendee.getByRole('link', { name: title.en, exact: true }).click();
    const form = attendee.getByRole('form', { name: 'Nominate a cluster manager' });
    await form.getByLabel('Name *').fill('Ana Peeters');
    await form.getByLabel('Cluster').fill('Flanders Photonics');
    await form.getByLabel('Country').fill('BE');
    await form.getByLabel('Why this person? (statement)').fill('She opened our cluster to three neighbouring regions.');
    await attendee.getByText('53 / 1,500 characters').waitFor();
    await form.getByRole('button', { name: 'Nominate' }).click();
    await attendee.getByText('You nominated Ana Peeters.').waitFor();
    const nomination = attendee.getByRole('listitem').filter({ hasText: 'Ana Peeters' });
    await nomination.getByText('Yours', { exact: true }).waitFor();
    await nomination.getByText('1 supporter', { exact: true }).waitFor();

    // The shortlist: Ana from her nomination, Bram from scratch; then voting opens.
    await call(organiser, 'POST', `${API()}/${election.id}/phase`, { phase: 'shortlist' });
    const [nominated] = await call(organiser, 'GET', `${API()}/${election.id}/nominations`);
    for (const [name, cluster, nomination_id] of [['Ana Peeters', 'Flanders Photonics', nominated.id], ['Bram Vos', 'Logistics Valley', null]]) {
      await call(organiser, 'POST', `${API()}/${election.id}/candidates`, {
        nomination_id, name, cluster, organisation: '', country: 'NL', photo_url: null,
        statement: { en: `${name} built the cross-border pilot line.`, fr: `${name} a monté la ligne pilote transfrontalière.` },
      });
    }
    await organiser.goto(page);
    await organiser.getByRole('heading', { name: '2 candidates' }).waitFor();
    await screenshot(organiser, 'election-shortlist.png');
    await organiser.getByRole('button', { name: 'Open voting' }).click();
    const opening = organiser.getByRole('dialog', { name: 'Open voting now?' });
    await opening.getByText('The electoral roll freezes now').waitFor();
    await opening.getByRole('button', { name: 'Freeze the roll and open voting' }).click();
    await organiser.getByRole('heading', { name: 'Electoral roll' }).waitFor();

    // The booth, with the keyboard only: the attendee's page moved on by itself.
    const booth = attendee.getByRole('region', { name: 'Your vote' });
    const group = booth.getByRole('group', { name: 'Choose one candidate' });
    await group.waitFor();
    await group.getByLabel('Ana Peeters').focus();
    await attendee.keyboard.press('Space');
    await attendee.keyboard.press('ArrowDown');
    assert.equal(await group.getByLabel('Bram Vos').isChecked(), true);
    await booth.getByText('Selected: Bram Vos.').waitFor();
    await screenshot(attendee, 'election-booth.png');
    await attendee.keyboard.press('Tab');
    await attendee.keyboard.press('Enter');
    await booth.getByText('You are voting for Bram Vos.').waitFor();
    await booth.getByText('This cannot be changed.').waitFor();
    assert.equal(await booth.getByText('Your vote is recorded').count(), 0, 'nothing looks final before the server answers');
    await audit(attendee);
    await screenshot(attendee, 'election-confirm.png');
    await attendee.keyboard.press('Tab');
    await attendee.keyboard.press('Enter');
    await booth.getByRole('heading', { name: 'Your vote is recorded' }).waitFor();
    const code = (await booth.locator('#receipt-code').textContent()).trim();
    assert.match(code, /^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    await attendee.getByText(/^1 of \d+ has voted$/).first().waitFor();
    await screenshot(attendee, 'election-receipt.png');
    await attendee.setViewportSize({ width: 390, height: 900 });
    await screenshot(attendee, 'election-receipt-mobile.png');
    await attendee.setViewportSize({ width: 1280, height: 1100 });

    // The speaker votes in French; a second ballot with the same person is refused.
    const speaker = await loggedInPage(browser, 'speaker@demo.viaduc.eu', problems);
    await speaker.evaluate(() => localStorage.setItem('viaduc.locale', 'fr'));
    await speaker.goto(page);
    const isoloir = speaker.getByRole('region', { name: 'Votre vote' });
    await isoloir.getByLabel('Bram Vos').check();
    await screenshot(speaker, 'election-booth-fr.png');
    await isoloir.getByRole('button', { name: 'Continuer' }).click();
    await isoloir.getByText('Vous votez pour Bram Vos.').waitFor();
    await isoloir.getByRole('button', { name: 'Confirmer mon vote' }).click();
    await isoloir.getByRole('heading', { name: 'Votre vote est enregistré' }).waitFor();
    const { candidates } = await call(organiser, 'GET', `${API()}/${election.id}`);
    const again = await speaker.request.post(`${API()}/${election.id}/ballot`, {
      data: { ranking: [candidates[0].id], receipt_hash: 'a'.repeat(64) },
    });
    assert.equal(again.status(), 409, 'one vote each');

    // The stage view follows the turnout; the moderator closes and reveals in another browser.
    const moderator = await loggedInPage(browser, 'moderator@demo.viaduc.eu', problems);
    const stage = await newPage(browser, problems);
    await stage.goto(`${BASE}/login?next=${encodeURIComponent(`/c/${SLUG}/awards/${election.id}/stage`)}`);
    await stage.getByLabel('Email address').fill('moderator@demo.viaduc.eu');
    await stage.getByLabel('Password').fill(process.env.VIADUC_E2E_PASSWORD ?? 'viaduc-demo-2026');
    await stage.getByRole('button', { name: 'Log in', exact: true }).click();
    await stage.getByText(/^2 of \d+ have voted$/).waitFor();
    assert.equal(await stage.getByRole('banner').count(), 0, 'no header on the stage');
    await screenshot(stage, 'election-stage-voting.png');

    await moderator.goto(page);
    await moderator.getByRole('button', { name: 'Close voting' }).click();
    await moderator.getByRole('dialog', { name: 'Close voting now?' }).getByRole('button', { name: 'Close voting' }).click();
    await moderator.getByText('Voting is closed. The result will be revealed on stage.').waitFor();
    await attendee.getByText('Voting is closed. The result will be revealed on stage.').waitFor();
    await stage.getByText('Voting is closed. The result will be revealed on stage.').waitFor();
    // The chain's head at the close, which every screen watching was sent and keeps.
    const { audit_head: closedHead } = await call(organiser, 'GET', `${API()}/${election.id}`);
    const anchor = (who) => who.evaluate((id) => JSON.parse(localStorage.getItem(`viaduc.election.${id}.anchor`)), election.id);
    assert.deepEqual(await anchor(attendee), { head: closedHead, phase: 'closed' });
    await moderator.getByRole('button', { name: 'Reveal the result' }).click();
    await moderator.getByRole('dialog', { name: 'Reveal the result now?' }).getByRole('button', { name: 'Reveal it' }).click();

    // Everywhere at once: the banner on the attendee's page (no reload), the stage's winner.
    const banner = attendee.getByRole('region', { name: 'Elections' });
    await banner.getByText(`🏆 Bram Vos is the ${title.en}`).waitFor();
    await attendee.getByText('2 votes · 100 %').waitFor();
    await screenshot(attendee, 'election-reveal.png');
    await stage.locator('.winner-name', { hasText: 'Bram Vos' }).waitFor();
    await screenshot(stage, 'election-stage-revealed.png');
    await stage.setViewportSize({ width: 390, height: 844 });
    await screenshot(stage, 'election-stage-revealed-mobile.png');

    // The board: find one's ballot by the receipt as typed back, recount in the browser.
    await banner.getByRole('link', { name: 'See the result' }).click();
    await attendee.getByRole('link', { name: 'Public board: check the count' }).click();
    await attendee.getByText('Public bulletin board', { exact: true }).first().waitFor();
    await attendee.getByLabel('Your receipt code').fill(code.toLowerCase().replaceAll('-', ' '));
    await attendee.getByRole('button', { name: 'Find my ballot' }).click();
    await attendee.getByText('Your ballot is on the board.').waitFor();
    await attendee.getByText('It is a vote for Bram Vos.').waitFor();
    await attendee.getByRole('button', { name: 'Recount' }).click();
    await attendee.getByText('The recount matches the announced result: Bram Vos wins (1 round).').waitFor();
    const { audit: chain } = await call(attendee, 'GET', `${API()}/${election.id}/board`);
    assert.equal(JSON.parse(chain.at(-1).body).action, 'election.revealed');
    assert.equal(chain.at(-2).hash, closedHead, 'the close, then only the reveal');
    await attendee.getByText(`✓ The chain holds together (${chain.length} entries): each entry follows the one before, and each hash matches its content.`).waitFor();
    await attendee.getByText(`✓ The chain contains the state this browser saw at the close (${closedHead.slice(0, 12)}…).`).waitFor();
    assert.deepEqual(await anchor(attendee), { head: closedHead, phase: 'closed' }, 'the reveal did not overwrite the anchor');
    await attendee.getByRole('heading', { name: '2 ballots' }).waitFor();
    await screenshot(attendee, 'election-board.png');
    await attendee.setViewportSize({ width: 390, height: 900 });
    await screenshot(attendee, 'election-board-mobile.png');
    await attendee.getByLabel('Your receipt code').fill('7K3M-9Q2W-X4RT-8PZN-B5VC-1HJD-6GFE-0ASY');
    await attendee.getByRole('button', { name: 'Find my ballot' }).click();
    await attendee.getByText('No ballot with this receipt is on the board.').waitFor();

    // A visitor reads the board without logging in, and downloads it for `viaduc election verify`.
    const visitor = await newPage(browser, problems);
    await visitor.goto(`${page}/board`);
    await visitor.getByText('2 votes · 100 %').waitFor();
    const [download] = await Promise.all([
      visitor.waitForEvent('download'),
      visitor.getByRole('link', { name: 'Download the board (JSON)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `election-${election.id}-board.json`);
    await visitor.getByText('This browser did not watch this election close, so only the recount and the chain’s own links are checked.').waitFor();
    // An anchor the published chain does not hold: what a browser sees once the board was rewritten.
    await visitor.evaluate((id) => localStorage.setItem(`viaduc.election.${id}.anchor`, JSON.stringify({ head: 'ab'.repeat(32), phase: 'closed' })), election.id);
    await visitor.reload();
    await visitor.getByText('✗ This browser saw a different chain at the close (abababababab…): the published board was rewritten since.').waitFor();
    // The speaker's browser watched the close too, and reads it in French.
    await speaker.goto(`${page}/board`);
    await speaker.getByText(`✓ La chaîne contient l’état que ce navigateur a vu à la clôture (${closedHead.slice(0, 12)}…).`).waitFor();
    await screenshot(speaker, 'election-board-fr.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});

test('ranked choice: the ranking is built with buttons, and the result shows round by round', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    const title = { en: `Cluster Newcomer of the Year ${Date.now()}` };
    const election = await electionWith(organiser, {
      title,
      method: 'ranked',
      names: [['Katrin Huber', 'Bavarian Automotive', 'DE'], ['Giulia Rossi', 'Lombardy Agrifood', 'IT'], ['Jon Agirre', 'Basque Energy', 'ES']],
    });
    await attendee.goto(`${BASE}/c/${SLUG}/awards/${election.id}`);
    const booth = attendee.getByRole('region', { name: 'Your vote' });
    const ranking = booth.getByRole('list', { name: 'My ranking' });
    await booth.getByRole('button', { name: 'Add to my ranking: Giulia Rossi' }).focus();
    await attendee.keyboard.press('Enter');
    await booth.getByText('Giulia Rossi added, number 1 of your ranking.').waitFor();
    // Focus moved on to the next candidate's button: Enter adds Jon Agirre.
    await attendee.keyboard.press('Enter');
    await booth.getByText('Jon Agirre added, number 2 of your ranking.').waitFor();
    await booth.getByRole('button', { name: 'Move up: Jon Agirre' }).focus();
    await attendee.keyboard.press('Enter');
    await booth.getByText('Jon Agirre is now number 1.').waitFor();
    assert.deepEqual(await ranking.getByRole('listitem').locator('.name').allTextContents(), ['Jon Agirre', 'Giulia Rossi']);
    // At the top, "Move up" is disabled: focus went to "Move down" of the same candidate.
    assert.equal(await attendee.evaluate(() => document.activeElement?.id?.startsWith('down-')), true);
    await audit(attendee);
    await screenshot(attendee, 'election-ranked-booth.png');
    await attendee.setViewportSize({ width: 390, height: 900 });
    await screenshot(attendee, 'election-ranked-booth-mobile.png');
    await attendee.setViewportSize({ width: 1280, height: 1100 });
    await booth.getByRole('button', { name: 'Continue' }).click();
    await booth.getByText('You are voting with this ranking:').waitFor();
    await booth.getByRole('button', { name: 'Confirm my vote' }).click();
    await booth.getByRole('heading', { name: 'Your vote is recorded' }).waitFor();

    await call(organiser, 'POST', `${API()}/${election.id}/phase`, { phase: 'closed' });
    await call(organiser, 'POST', `${API()}/${election.id}/phase`, { phase: 'revealed' });
    await attendee.getByRole('region', { name: 'Elections' }).getByText(`🏆 Jon Agirre is the ${title.en}`).waitFor();
    await attendee.getByRole('region', { name: 'Round by round' }).waitFor();
    await screenshot(attendee, 'election-ranked-result.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
