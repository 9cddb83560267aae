// The organiser manages members from the organise page: finds a person, changes their role,
// then removes them from the conference (after confirming), and the person is no longer a
// member.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

test('an organiser changes a member role and removes the member', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);

    await page.goto(BASE + '/c/ecc-2026/organise?tab=members');
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('searchbox').fill('Pieter Maes');
    await members.getByRole('button', { name: 'Find' }).click();
    await members.getByText('pieter.maes@demo.viaduc.eu').waitFor();

    await members.getByLabel('Role of Pieter Maes').selectOption('speaker');
    await page.getByText('Pieter Maes has a new role.').waitFor();

    await members.getByRole('button', { name: 'Remove Pieter Maes from the conference' }).click();
    await members.getByRole('button', { name: 'Yes, remove' }).waitFor();
    await audit(page); // the confirmation is a state of its own
    await members.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByText('Pieter Maes has been removed from the conference.').waitFor();
    assert.equal(await members.getByText('pieter.maes@demo.viaduc.eu').count(), 0);

    const left = await (await page.request.get(BASE + '/api/conferences/ecc-2026/members?q=pieter.maes')).json();
    assert.deepEqual(left, [], 'no longer a member');

    await screenshot(page, 'members.png');
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});
