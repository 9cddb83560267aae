// A forgotten password: from the login page to the form that e-mails a link, and the page the
// link opens, which refuses a link that was used or expired.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import { BASE, launch, newPage, skip } from './browser.mjs';

test('a visitor asks for a new password, and a dead link says so', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const page = await newPage(browser, problems);
    await page.goto(BASE + '/login');
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email address').fill('attendee@demo.viaduc.eu');
    await page.getByRole('button', { name: 'Send the link' }).click();
    await page.getByText('If this address has an account, a link is on its way.').waitFor();

    await page.goto(BASE + '/set-password?token=not-a-real-token');
    await page.getByLabel('New password').fill('flax-and-hemp-2027');
    await page.getByRole('button', { name: 'Set the password' }).click();
    await page.getByText('This link was used already or has expired: ask for a new one.').waitFor();
    if (problems.length) throw new Error(problems.join('\n'));
  } finally {
    await browser.close();
  }
});
