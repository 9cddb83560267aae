// The organiser manages members from the organise page: finds a person, changes their role,
// then removes them from the conference (after confirming), and the person is no longer a
// member.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.VIADUC_URL?.replace(/\/$/, '');
const PASSWORD = 'viaduc-demo-2026';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');

test('an organiser changes a member role and removes the member', { skip: !BASE && 'set VIADUC_URL to run' }, async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  try {
    const problems = [];
    const context = await browser.newContext({ locale: 'en-GB', viewport: { width: 1280, height: 1100 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(BASE + '/login');
    await page.getByLabel('Email address').fill('organiser@demo.viaduc.eu');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    await page.waitForURL((url) => !url.pathname.startsWith('/login'));

    await page.goto(BASE + '/c/ecc-2026/organise');
    const members = page.getByRole('region', { name: 'Members' });
    await members.getByRole('searchbox').fill('Pieter Maes');
    await members.getByRole('button', { name: 'Find' }).click();
    await members.getByText('pieter.maes@demo.viaduc.eu').waitFor();

    await members.getByLabel('Role of Pieter Maes').selectOption('speaker');
    await page.getByText('Pieter Maes has a new role.').waitFor();

    await members.getByRole('button', { name: 'Remove Pieter Maes from the conference' }).click();
    await members.getByRole('button', { name: 'Yes, remove' }).click();
    await page.getByText('Pieter Maes has been removed from the conference.').waitFor();
    assert.equal(await members.getByText('pieter.maes@demo.viaduc.eu').count(), 0);

    const left = await (await page.request.get(BASE + '/api/conferences/ecc-2026/members?q=pieter.maes')).json();
    assert.deepEqual(left, [], 'no longer a member');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'members.png'), fullPage: true });
    assert.deepEqual(problems, [], 'no uncaught errors in the page');
  } finally {
    await browser.close();
  }
});
