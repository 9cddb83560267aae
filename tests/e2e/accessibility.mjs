// axe-core in every browser test. A page made by browser.mjs is checked whenever it arrives
// somewhere: `goto`, `reload` and `waitForURL` resolve only after the page they reached (once
// its DOM is quiet) has been checked; other navigations (the single-page app's own route
// changes) are checked as soon as the page settles; and every open page is checked in its last
// state when the browser closes. A test checks a state in between with `audit(page)`. A
// violation of impact serious or critical fails the test that reached it (in an `afterEach`
// hook, so a test that already failed keeps its own error) and is printed: the rule, its
// impact and the offending nodes.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { afterEach } from 'node:test';

const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const FAILING = new Set(['serious', 'critical']);
/** How long the DOM must stay unchanged before a check, and the most we wait for that. */
const QUIET_MS = 300;
const SETTLE_MAX_MS = 4_000;
/** Errors that only mean the page went away (navigated, closed) during a check. */
const GONE = /Execution context was destroyed|Target page, context or browser has been closed|Frame was detached/;
/** The page methods after which the page has arrived somewhere a person looks at. */
const ARRIVALS = ['goto', 'reload', 'waitForURL'];

/** Reports found during the running test, each violation once (page, rule, nodes). */
const reports = new Map();
/** Per page: the last check queued, and the one waiting to start (later requests join it). */
const queues = new WeakMap();

afterEach(() => {
  const found = [...reports.values()];
  reports.clear();
  if (found.length > 0) {
    throw new Error(`accessibility (axe-core): ${found.length} serious or critical violation(s)\n\n${found.join('\n\n')}`);
  }
});

/** Checks `page` wherever it arrives from now on (see the top of this file). */
export function watch(page) {
  for (const name of ARRIVALS) {
    const arrive = page[name].bind(page);
    page[name] = async (...args) => {
      const result = await arrive(...args);
      await audit(page);
      return result;
    };
  }
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) void audit(page);
  });
}

/** Checks every open page of `browser` in its last state (call before closing it). */
export async function auditOpenPages(browser) {
  const pages = browser.contexts().flatMap((context) => context.pages());
  await Promise.all(pages.map((page) => audit(page)));
}

/**
 * Checks `page` as it is once its DOM is quiet; serious and critical violations fail the
 * running test. Resolves to the number of such violations found.
 */
export function audit(page) {
  const queue = queues.get(page) ?? { last: Promise.resolve(0), waiting: null };
  queues.set(page, queue);
  if (!queue.waiting) {
    // `check` never rejects, so one failed check does not stop the page's later ones.
    const next = queue.last.then(() => {
      queue.waiting = null;
      return check(page);
    });
    queue.waiting = next;
    queue.last = next;
  }
  return queue.waiting;
}

async function check(page) {
  if (page.isClosed() || !page.url().startsWith('http')) return 0;
  try {
    await page.waitForLoadState('load');
    await page.evaluate(quiet, { quietMs: QUIET_MS, maxMs: SETTLE_MAX_MS });
    const url = page.url();
    if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await AXE_SOURCE);
    const violations = await page.evaluate(async () => {
      const results = await window.axe.run(document, { resultTypes: ['violations'] });
      return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((node) => ({ target: node.target.join(' '), html: node.html, summary: node.failureSummary })),
      }));
    });
    const failing = violations.filter((v) => FAILING.has(v.impact));
    for (const violation of failing) record(url, violation);
    return failing.length;
  } catch (error) {
    if (GONE.test(String(error?.message))) return 0;
    // A page that cannot be checked fails the test too, without hiding the test's own error.
    const report = `axe-core could not check ${page.url()}: ${error?.message ?? error}`;
    reports.set(report, report);
    console.error(`\n${report}\n`);
    return 1;
  }
}

/** Runs in the page: resolves once nothing in the document changed for `quietMs`. */
function quiet({ quietMs, maxMs }) {
  return new Promise((resolve) => {
    let timer;
    const done = () => {
      observer.disconnect();
      clearTimeout(timer);
      clearTimeout(cap);
      resolve();
    };
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
    timer = setTimeout(done, quietMs);
    const cap = setTimeout(done, maxMs);
  });
}

function record(url, violation) {
  const path = new URL(url).pathname;
  const targets = violation.nodes.map((node) => node.target).join(', ');
  const key = `${path} ${violation.id} ${targets}`;
  if (reports.has(key)) return;
  const nodes = violation.nodes
    .slice(0, 12)
    .map((node) => `    ${node.target}\n      ${clip(node.html)}\n      ${(node.summary ?? '').replaceAll('\n', '\n      ')}`);
  if (violation.nodes.length > 12) nodes.push(`    … and ${violation.nodes.length - 12} more`);
  const report = `${violation.id} (${violation.impact}) on ${path}: ${violation.help}\n  ${violation.helpUrl}\n${nodes.join('\n')}`;
  reports.set(key, report);
  console.error(`\n${report}\n`);
}

function clip(html) {
  const line = html.replace(/\s+/g, ' ');
  return line.length > 160 ? `${line.slice(0, 157)}…` : line;
}
