// An attendee logs in, switches the interface to French and reads the ecc-2026 agenda in French.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
//
// Needs a running Viaduc with the demo data (`viaduc demo`) and Debian's chromium.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.VIADUC_URL?.replace(/\/$/, '');
const EMAIL = process.env.VIADUC_E2E_EMAIL ?? 'attendee@demo.viaduc.eu';
const PASSWORD = process.env.VIADUC_E2E_PASSWORD ?? 'viaduc-demo-2026';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const TIMEOUT = 15_000;

function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

test('an attendee reads the ecc-2026 agenda in French', { skip: !BASE && 'set VIADUC_URL to run' }, async () => {
  const browser = await launch();
  try {
    // An English browser in London: the French must come from the switcher, not the defaults.
    const context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'Europe/London',
      viewport: { width: 1280, height: 900 },
    });
    context.setDefaultTimeout(TIMEOUT);
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(BASE + '/');
    await page.waitForURL(/\/login/);
    assert.equal(await page.getAttribute('html', 'lang'), 'en');

    await page.getByLabel('Email address').fill(EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

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

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'agenda-fr.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
    console.log(`French session title seen: ${title}`);
  } finally {
    await browser.close();
  }
});
