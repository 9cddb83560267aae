// What the server says reaches people in their own language, once: a refused sign-up in
// English, French, Dutch and German; time zones and the calendar export in German; and an
// anonymous visit that logs no failed request.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, logIn, newPage, screenshot, skip } from './browser.mjs';

/** How each interface language words the server's `too_common` password rule. */
const TOO_COMMON = {
  en: 'This password is too common. Choose another one.',
  fr: 'Ce mot de passe est trop courant. Choisissez-en un autre.',
  nl: 'Dit wachtwoord komt te vaak voor. Kies een ander.',
  de: 'Dieses Passwort ist zu verbreitet. Wählen Sie ein anderes.',
};
const BROWSER_LOCALES = { en: 'en-GB', fr: 'fr-FR', nl: 'nl-BE', de: 'de-DE' };

/** How many times `text` occurs in the page's visible text. */
async function occurrences(page, text) {
  const body = await page.locator('body').innerText();
  return body.split(text).length - 1;
}

test('a refused sign-up is explained once, in the browser language', { skip }, async () => {
  const browser = await launch();
  try {
    for (const [ui, expected] of Object.entries(TOO_COMMON)) {
      const problems = [];
      const page = await newPage(browser, problems, { locale: BROWSER_LOCALES[ui] });
      await page.goto(BASE + '/signup');
      assert.equal(await page.getAttribute('html', 'lang'), ui);
      await page.locator('#signup-display_name').fill('Lena Vogel');
      await page.locator('#signup-email').fill(`lena.${ui}.${Date.now()}@cluster.example`);
      // Ten characters, so only the server's list of common passwords refuses it.
      await page.locator('#signup-password').fill('1234567890');
      await page.locator('form button[type="submit"]').click();

      const fieldError = page.locator('#signup-password-error');
      await fieldError.waitFor();
      assert.equal(await fieldError.innerText(), expected, ui);
      assert.equal(await occurrences(page, expected), 1, `${ui}: said once`);
      assert.equal(await page.locator('.notice-error').count(), 0, `${ui}: no banner repeats it`);
      assert.equal(await occurrences(page, 'too common, choose another'), 0, `${ui}: no English server text`);
      assert.equal(await page.getAttribute('#signup-password', 'aria-invalid'), 'true');
      if (ui === 'fr') await screenshot(page, 'signup-too-common-fr.png');
      assert.deepEqual(problems, [], `${ui}: no uncaught errors in the page`);
      await page.context().close();
    }
  } finally {
    await browser.close();
  }
});

test('an anonymous visit logs no failed request', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems);
    const noise = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') noise.push(message.text());
    });
    page.on('requestfailed', (request) => noise.push(`failed: ${request.url()}`));
    page.on('response', (response) => {
      if (response.status() >= 400) noise.push(`${response.status()} ${response.url()}`);
    });

    await page.goto(BASE + '/c/ecc-2026');
    await page.waitForURL(/\/login/);
    await page.getByRole('button', { name: 'Log in', exact: true }).waitFor();
    await page.goto(BASE + '/signup');
    await page.getByRole('button', { name: 'Create account' }).waitFor();
    await page.waitForLoadState('networkidle');

    assert.deepEqual(noise, [], 'the console stays quiet');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});

test('time zones and the calendar follow the interface language', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems, { locale: 'de-DE', timezoneId: 'Europe/Lisbon' });
    await page.goto(BASE + '/login');
    await page.locator('#login-email').fill('attendee@demo.viaduc.eu');
    await page.locator('#login-password').fill(process.env.VIADUC_E2E_PASSWORD ?? 'viaduc-demo-2026');
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    const sessions = await (await page.request.get(BASE + '/api/conferences/ecc-2026/sessions')).json();
    const panel = sessions.find((s) => s.title.en === 'Cross-border cooperation: lifting the barriers');
    assert.ok(panel, 'the demo panel exists');
    const bookmark = `${BASE}/api/conferences/ecc-2026/sessions/${panel.id}/bookmark`;
    assert.equal((await page.request.put(bookmark)).status(), 204);
    try {
      await page.goto(BASE + '/c/ecc-2026/schedule');
      // The conference's zone and the viewer's, named by the browser in German.
      await page.getByText('Mitteleuropäische Zeit', { exact: true }).first().waitFor();
      await page.getByText('Ihre Zeit · Westeuropäische Zeit').first().waitFor();
      assert.equal(await occurrences(page, 'Brussels'), 0, 'no untranslated city');
      assert.equal(await occurrences(page, 'MEZ'), 0, 'no zone abbreviation');

      const download = page.getByRole('link', { name: '.ics herunterladen' });
      const href = await download.getAttribute('href');
      assert.equal(href, '/api/conferences/ecc-2026/schedule.ics?lang=de');
      const ics = (await (await page.request.get(BASE + href)).text()).replace(/\r\n[ \t]/g, '');
      assert.ok(ics.includes('SUMMARY:Grenzüberschreitende Zusammenarbeit: Hürden abbauen'), ics);
      await screenshot(page, 'schedule-de.png');
    } finally {
      await page.request.delete(bookmark);
    }
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});
