// Registrations in the browser: a visitor finds the conference on the front page and its public
// page (programme and speakers); a delegation member follows the invite link, signs up and is
// registered at once through the delegation; in a conference with manual approval, a registrant
// waits, an organiser approves them from the registrations table, and the registrant's page turns
// to "Registered" by itself and lets them in. Screenshots: the public page, the registration
// page, the organisers' registrations table.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, loggedInPage, newPage, screenshot, skip } from './browser.mjs';

const PASSWORD = 'viaduc-demo-2026';

/** Signs up through the form on the current page (the login page's link leads there). */
async function signUp(page, name, email) {
  await page.getByRole('link', { name: 'Create one' }).click();
  await page.getByLabel('Display name').fill(name);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test('a visitor finds the conference and a delegation member registers through the link', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems);
    await page.goto(BASE + '/');
    await page.getByRole('link', { name: 'European Cluster Conference 2026' }).click();
    await page.waitForURL(/\/c\/ecc-2026\/about$/);
    await page.getByRole('heading', { name: 'Programme' }).waitFor();
    await page.getByRole('heading', { name: /Opening plenary/ }).first().waitFor();
    await screenshot(page, 'registration-public.png');

    await page.goto(BASE + '/c/ecc-2026/about?code=FLANDERS26');
    await page.getByRole('link', { name: 'Register', exact: true }).click();
    await page.waitForURL(/\/login/);
    const email = `delegate.${Date.now()}@cluster.example`;
    await signUp(page, 'Lies Janssens', email);
    await page.waitForURL(/\/c\/ecc-2026\/register\?code=FLANDERS26/);
    await page.getByText(/You register with “Flemish industry federations”/).waitFor();
    await page.getByLabel('List me in the attendee directory').check();
    await page.getByRole('radio', { name: 'Industry and clusters' }).check();
    await screenshot(page, 'registration-form.png');
    await page.getByRole('button', { name: 'Register', exact: true }).click();
    await page.getByRole('heading', { name: 'Registered' }).waitFor();
    await page.getByText('With the delegation “Flemish industry federations”.').waitFor();
    await page.getByRole('link', { name: 'Enter the conference' }).click();
    await page.getByRole('heading', { name: 'European Cluster Conference 2026' }).waitFor();
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});

test('an organiser approves a pending registrant, who can then enter', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    // A conference of this test's own, with manual approval, so the demo keeps its own rules.
    const slug = `approval-${Date.now()}`;
    const created = await organiser.request.post(BASE + '/api/conferences', {
      data: {
        slug,
        title: { en: 'Cluster mission to Bourgogne-Franche-Comté' },
        starts_on: '2027-03-10',
        ends_on: '2027-03-11',
        time_zone: 'Europe/Paris',
        languages: ['en', 'fr'],
      },
    });
    assert.equal(created.status(), 201, await created.text());
    const settings = await organiser.request.put(`${BASE}/api/conferences/${slug}/registration-settings`, {
      data: { published: true, capacity: 40, approval: 'manual', offer_hours: 48 },
    });
    assert.ok(settings.ok(), await settings.text());

    const registrant = await newPage(browser, problems);
    await registrant.goto(`${BASE}/c/${slug}/register`);
    await registrant.waitForURL(/\/login/);
    await signUp(registrant, 'Camille Roux', `camille.${Date.now()}@cluster.example`);
    await registrant.waitForURL(new RegExp(`/c/${slug}/register`));
    await registrant.getByRole('button', { name: 'Register', exact: true }).click();
    await registrant.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
    await screenshot(registrant, 'registration-pending.png');

    await organiser.goto(`${BASE}/c/${slug}/organise?tab=registrations`);
    const row = organiser.getByRole('row').filter({ hasText: 'Camille Roux' });
    await row.getByRole('checkbox').check();
    await organiser.getByRole('button', { name: 'Approve', exact: true }).click();
    await row.getByText('Approved', { exact: true }).waitFor();
    await screenshot(organiser, 'registrations-table.png');

    // The registrant's page follows by itself, and lets them in.
    await registrant.getByRole('heading', { name: 'Registered' }).waitFor();
    await registrant.getByRole('link', { name: 'Enter the conference' }).click();
    await registrant.getByRole('link', { name: 'Agenda' }).waitFor();

    // A spreadsheet with a bad row imports nothing and says where; asked to, the good rows.
    const stamp = Date.now();
    const csv = `email,name,country\nhugo.${stamp}@cluster.example,Hugo Martin,FR\nnot-an-address,Nobody,BE\nines.${stamp}@cluster.example,Inês Carvalho,PT\n`;
    const importer = organiser.getByRole('region', { name: 'Import from a spreadsheet' });
    await importer.getByLabel('CSV file').setInputFiles({ name: 'mission.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await importer.getByRole('button', { name: 'Import', exact: true }).click();
    await importer.getByText('Line 3, email').waitFor();
    await importer.getByLabel('Import the good rows even if some are wrong').check();
    await importer.getByRole('button', { name: 'Import', exact: true }).click();
    await importer.getByText(/2 people registered \(2 approved, 0 waitlisted\), 2 new accounts invited/).waitFor();
    await organiser.getByRole('row').filter({ hasText: 'Inês Carvalho' }).waitFor();
    await screenshot(organiser, 'registrations-import.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});

test('the organisers read the outbox and export the registrations, in French', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    await organiser.goto(BASE + '/c/ecc-2026/organise?tab=outbox');
    await organiser.getByRole('button', { name: /^FR/ }).click();
    const outbox = organiser.getByRole('region', { name: "Boîte d'envoi" });
    await outbox.getByText(/en attente d'envoi/).waitFor();
    // Each message is written in its recipient's language (the delegate registered in English).
    await outbox.getByText('You are registered: European Cluster Conference 2026').first().click();
    await outbox.getByText(/Enter the conference: http/).first().waitFor();
    await screenshot(organiser, 'outbox-fr.png');
    await organiser.getByRole('link', { name: 'Inscriptions', exact: true }).click();
    await organiser.getByRole('row').nth(1).waitFor();
    const csv = await organiser.request.get(BASE + '/api/conferences/ecc-2026/registrations.csv?lang=fr');
    assert.equal(csv.status(), 200);
    const heading = (await csv.text()).split('\n')[0];
    assert.ok(heading.startsWith('Nom,E-mail,Organisation,Cluster,Pays,Statut,Délégation,Rôle'), heading);
    await screenshot(organiser, 'registrations-table-fr.png');
    await organiser.setViewportSize({ width: 390, height: 844 });
    await screenshot(organiser, 'registrations-table-390.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});
