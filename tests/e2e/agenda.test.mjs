// An attendee logs in, switches the interface to French and reads the ecc-2026 agenda in French;
// with the browser's clock set during the conference, the agenda marks what is live and next and
// jumps to today, and on a phone the live session puts its time and stage first, chat, questions
// and polls as tabs.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
//
// Needs a running Viaduc with the demo data (`viaduc demo`) and Debian's chromium.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, logIn, newPage, screenshot, skip } from './browser.mjs';

const EMAIL = process.env.VIADUC_E2E_EMAIL ?? 'attendee@demo.viaduc.eu';

test('an attendee reads the ecc-2026 agenda in French', { skip }, async () => {
  const browser = await launch();
  try {
    // An English browser in London: the French must come from the switcher, not the defaults.
    const problems = [];
    const page = await newPage(browser, problems, { timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } });

    await page.goto(BASE + '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    await logIn(page, EMAIL);

    await page.getByRole('button', { name: /^FR\b/ }).click();
    await page.waitForFunction(() => document.documentElement.lang === 'fr');

    // A fresh load keeps the choice (localStorage) and shows the agenda.
    await page.goto(BASE + '/c/ecc-2026');
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await page.getByRole('link', { name: 'Programme', exact: true }).waitFor();
    await page.getByLabel('Type de session').waitFor();
    await page.getByLabel('Langue parlée').waitFor();
    await page.getByText(/Les horaires sont indiqués dans le fuseau de la conférence/).waitFor();

    // Session titles carry the language they are shown in; at least one is French.
    const frenchTitles = page.locator('article h3 a[lang="fr"]');
    await frenchTitles.first().waitFor();
    const title = (await frenchTitles.first().innerText()).trim();
    assert.ok(title.length > 0, 'a French session title is visible');
    assert.ok(await frenchTitles.first().isVisible());
    // And the bookmark buttons speak French too.
    await page.getByRole('button', { name: /(Ajouter à|Dans) mon programme/ }).first().waitFor();

    await screenshot(page, 'agenda-fr.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
    console.log(`French session title seen: ${title}`);
  } finally {
    await browser.close();
  }
});

// The browser's clock is set to the conference's second day (the demo's dates are fixed), so
// what is live and what is next do not depend on the day the tests run.
const DAY_TWO = '2026-12-09T11:28:00+01:00';

test('the agenda marks what is live now and what is next, and jumps to today', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems, { timezoneId: 'Europe/Brussels' });
    // Before the conference: the opening plenary is next, and no day is today.
    await page.clock.install({ time: '2026-12-02T09:00:00+01:00' });
    await page.goto(BASE + '/login');
    await logIn(page, EMAIL);
    await page.goto(BASE + '/c/ecc-2026');
    const card = (title) => page.getByRole('article', { name: title });
    const opening = card('Opening plenary: clusters for a resilient Europe');
    await opening.getByText('Next', { exact: true }).waitFor();
    await opening.getByText('Starts in 6 days').waitFor();
    assert.equal(await page.getByText('Live now', { exact: true }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Jump to today' }).count(), 0, 'no conference day is today');

    // Wednesday 9 December, 11:28 in Brussels: the 10:15 panel is live (the closed round-table
    // at the same time is not listed for this attendee), the B2B block is next.
    await page.clock.setSystemTime(DAY_TWO);
    await page.reload();
    const live = card('Smart specialisation and regional policy');
    await live.getByText('Live now', { exact: true }).waitFor();
    const join = live.getByRole('link', { name: 'Join live' });
    assert.equal(await join.getAttribute('href'), await live.getByRole('heading').getByRole('link').getAttribute('href'));
    assert.equal(await page.getByText('Live now', { exact: true }).count(), 1, 'only the session under way is live');
    assert.equal(await page.getByRole('link', { name: 'Join live' }).count(), 1);
    const b2b = card('B2B meetings, block 1');
    await b2b.getByText('Next', { exact: true }).waitFor();
    await b2b.getByText('Starts in 17 minutes').waitFor();
    assert.equal(await page.getByText('Next', { exact: true }).count(), 1);
    await screenshot(page, 'agenda-live.png');

    // Today's day is a click away, with focus on its heading.
    await page.getByRole('button', { name: 'Jump to today' }).click();
    const today = page.getByRole('heading', { name: /^Wednesday,? 9 December 2026 Today$/ });
    assert.ok(await today.evaluate((h) => h === document.activeElement), 'the heading of today has the focus');
    const top = await today.evaluate((h) => h.getBoundingClientRect().top);
    assert.ok(top >= 0 && top < 100, `today's heading is at the top of the window (${top})`);
    await page.setViewportSize({ width: 390, height: 900 });
    await live.scrollIntoViewIfNeeded();
    await screenshot(page, 'agenda-live-mobile.png');

    // Three minutes later, without a reload: the panels have ended and the B2B block is closer.
    await page.clock.fastForward('03:00');
    await b2b.getByText('Starts in 14 minutes').waitFor();
    assert.equal(await page.getByText('Live now', { exact: true }).count(), 0, 'the panels ended at 11:30');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});

test('on a phone a live session shows its time and stage first, chat, questions and polls as tabs', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems, { timezoneId: 'Europe/Brussels', viewport: { width: 390, height: 844 } });
    await page.clock.install({ time: DAY_TWO });
    await page.goto(BASE + '/login');
    await logIn(page, EMAIL);
    await page.goto(BASE + '/c/ecc-2026');
    const title = 'Smart specialisation and regional policy';
    await page.getByRole('article', { name: title }).getByRole('link', { name: 'Join live' }).click();
    await page.getByRole('heading', { level: 1, name: title }).waitFor();

    // The day and time, then the stage, then the tabs, then the description.
    const y = async (locator) => (await locator.boundingBox()).y;
    const when = page.getByText(/^Wednesday,? 9 December 2026$/);
    const stage = page.getByRole('heading', { name: 'Live stage' });
    const tablist = page.getByRole('tablist', { name: 'Chat, questions and polls' });
    const about = page.getByRole('heading', { name: 'About this session' });
    assert.equal(await when.count(), 1, 'the day is shown once');
    const order = [await y(when), await y(stage), await y(tablist), await y(about)];
    assert.deepEqual([...order].sort((a, b) => a - b), order, `time, stage, tabs, description: ${order}`);
    assert.ok(order[0] < 844, 'the time is above the fold');

    const tab = (name) => tablist.getByRole('tab', { name, exact: true });
    const chat = page.getByRole('region', { name: 'Chat', exact: true });
    const qa = page.getByRole('region', { name: 'Questions', exact: true });
    const polls = page.getByRole('region', { name: 'Polls', exact: true });
    assert.equal(await tab('Chat').getAttribute('aria-selected'), 'true');
    await chat.getByRole('textbox').waitFor();
    assert.equal(await qa.count(), 0, 'the questions are hidden behind their tab');
    await screenshot(page, 'session-mobile-chat.png');

    await tab('Questions').click();
    await qa.waitFor();
    assert.equal(await chat.count(), 0, 'the chat is hidden, still mounted');
    assert.equal(await page.locator('#live-panel-chat .chat').count(), 1);
    assert.equal(await tab('Questions').getAttribute('aria-selected'), 'true');
    assert.equal(await tab('Chat').getAttribute('aria-selected'), 'false');
    await screenshot(page, 'session-mobile-questions.png');

    // Arrow keys move along the tabs and wrap; the selected tab is the one Tab reaches.
    await page.keyboard.press('ArrowRight');
    await polls.waitFor();
    assert.ok(await tab('Polls').evaluate((t) => t === document.activeElement));
    await page.keyboard.press('ArrowRight');
    await chat.waitFor();
    assert.deepEqual(await tablist.getByRole('tab').evaluateAll((tabs) => tabs.map((t) => t.tabIndex)), [0, -1, -1]);
    await page.keyboard.press('End');
    await polls.waitFor();
    await page.keyboard.press('Home');
    await chat.waitFor();

    // On a desktop screen there are no tabs: chat, questions and polls are all shown.
    await page.setViewportSize({ width: 1280, height: 1100 });
    await qa.waitFor();
    await polls.waitFor();
    await chat.waitFor();
    assert.equal(await page.getByRole('tablist').count(), 0);
    await screenshot(page, 'session-desktop.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});
