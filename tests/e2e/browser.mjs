// What every browser test shares: where Viaduc runs, Debian's chromium with the flags this
// machine needs, a page logged in as one of the demo people, and the accessibility check
// (accessibility.mjs) of every page those pages show.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { auditOpenPages, watch } from './accessibility.mjs';

export { audit } from './accessibility.mjs';

export const BASE = process.env.VIADUC_URL?.replace(/\/$/, '');
const PASSWORD = process.env.VIADUC_E2E_PASSWORD ?? 'viaduc-demo-2026';
/** `node:test`'s skip option: these tests need a running Viaduc with the demo data. */
export const skip = !BASE && 'set VIADUC_URL to run';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
const TIMEOUT = 15_000;

/** Debian's chromium; its `close()` first checks the last state of every open page. */
export async function launch() {
  const browser = await chromium.launch({
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
  const close = browser.close.bind(browser);
  browser.close = async (...args) => {
    try {
      await auditOpenPages(browser);
    } finally {
      await close(...args);
    }
  };
  return browser;
}

/**
 * A page in a new English browser context; uncaught page errors and anything the
 * Content-Security-Policy blocked are pushed to `problems`, and
 * every page it shows is checked for accessibility. Reduced motion: no transition is caught
 * half-way by a colour-contrast check.
 */
export async function newPage(browser, problems, options = {}) {
  const context = await browser.newContext({
    locale: 'en-GB',
    viewport: { width: 1280, height: 1100 },
    reducedMotion: 'reduce',
    ...options,
  });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy')) problems.push(message.text());
  });
  watch(page);
  return page;
}

/** Fills in the login form on the current page and waits to leave it. */
export async function logIn(page, email) {
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in', exact: true }).click();
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
}

/** A new page logged in as `email`. */
export async function loggedInPage(browser, email, problems) {
  const page = await newPage(browser, problems);
  await page.goto(BASE + '/login');
  await logIn(page, email);
  return page;
}

/** Saves a full-page screenshot under `artifacts/` to look at. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
}
