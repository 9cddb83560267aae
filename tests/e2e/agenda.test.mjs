// An attendee logs in, switches the interface to French and reads the ecc-2026 agenda in French.
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

    await page.goto(BASE + '/');
    await page.waitForURL(/\/login/);
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
