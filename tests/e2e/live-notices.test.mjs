// Live notices: the organiser publishes an announcement to the whole conference and one to a
// panel; an attendee reading the panel in French sees both banners arrive, and the withdrawn
// one vanish. Then the organiser changes the attendee's role: the attendee's bell shows one
// unread notification worded in French, opening it marks it read, and "mark all as read"
// clears the next one.
//
//   VIADUC_URL=http://127.0.0.1:8080 npm test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audit, BASE, launch, loggedInPage, screenshot, skip } from './browser.mjs';

/** Switches a logged-in page to the French interface (the language switcher's stored choice). */
async function inFrench(page) {
  await page.evaluate(() => localStorage.setItem('viaduc.locale', 'fr'));
}

test('announcements and notifications reach the attendee live, in French', { skip }, async () => {
  const browser = await launch();
  try {
    const problems = [];
    const organiser = await loggedInPage(browser, 'organiser@demo.viaduc.eu', problems);
    const attendee = await loggedInPage(browser, 'attendee@demo.viaduc.eu', problems);
    await inFrench(attendee);

    const panels = await (await attendee.request.get(BASE + '/api/conferences/ecc-2026/sessions?kind=panel')).json();
    const panel = panels[0];
    await attendee.goto(`${BASE}/c/ecc-2026/sessions/${panel.id}`);
    const everyoneBanner = attendee.getByRole('log', { name: 'Annonces', exact: true });
    const sessionBanner = attendee.getByRole('log', { name: 'Annonces pour cette session' });
    await sessionBanner.waitFor({ state: 'attached' });

    // The organiser writes to everyone, then to the panel only.
    await organiser.goto(BASE + '/c/ecc-2026/organise');
    const composer = organiser.getByRole('region', { name: 'Announcements', exact: true });
    const body = composer.getByLabel('Text of the announcement');
    const toEveryone = `Lunch is served in the atrium ${Date.now()}`;
    await body.fill(toEveryone);
    await composer.getByText(`${toEveryone.length} / 2000 characters`).waitFor();
    await composer.getByRole('button', { name: 'Publish' }).click();
    await organiser.getByText('Announcement published to: Everyone in the conference.').waitFor();

    const toPanel = `The panel starts ten minutes late ${Date.now()}`;
    await composer.getByLabel('Send to').selectOption(panel.id);
    await body.fill(toPanel);
    await composer.getByRole('button', { name: 'Publish' }).click();
    await composer.getByRole('listitem').filter({ hasText: toPanel }).waitFor();

    // The attendee sees each where it belongs, read out by the banners' live regions.
    await everyoneBanner.getByText(toEveryone).waitFor();
    await sessionBanner.getByText(toPanel).waitFor();
    assert.equal(await everyoneBanner.getByText(toPanel).count(), 0, 'the panel announcement stays in the panel');
    const panelNotice = sessionBanner.getByRole('article').filter({ hasText: toPanel });
    assert.equal(await panelNotice.getByText('Annonce pour cette session').count(), 1);
    await audit(attendee);
    await screenshot(attendee, 'announcements-attendee-fr.png');
    await attendee.setViewportSize({ width: 390, height: 900 });
    await screenshot(attendee, 'announcements-attendee-fr-mobile.png');
    await attendee.setViewportSize({ width: 1280, height: 1100 });

    // Withdrawn after confirming: gone from the attendee's screen at once.
    const everyoneItem = composer.getByRole('listitem').filter({ hasText: toEveryone });
    await everyoneItem.getByRole('button', { name: /^Withdraw the announcement of / }).click();
    await everyoneItem.getByText('Withdraw this announcement from every screen?').waitFor();
    await audit(organiser);
    await screenshot(organiser, 'announcements-composer.png');
    await everyoneItem.getByRole('button', { name: 'Yes, withdraw' }).click();
    await everyoneBanner.getByText(toEveryone).waitFor({ state: 'detached' });
    assert.equal(await sessionBanner.getByText(toPanel).count(), 1, 'the other one stays');

    // The attendee dismisses the panel's for themselves; it stays for the organiser.
    const time = (await panelNotice.locator('time').innerText()).trim();
    await panelNotice.getByRole('button', { name: `Masquer l’annonce de ${time}` }).click();
    await sessionBanner.getByText(toPanel).waitFor({ state: 'detached' });
    assert.equal(await composer.getByText(toPanel).count(), 1);

    // A role change rings the attendee's bell. On a re-run, first back to a plain attendee
    // with a quiet bell.
    const me = await (await attendee.request.get(BASE + '/api/me')).json();
    const reset = await organiser.request.put(`${BASE}/api/conferences/ecc-2026/members/${me.id}`, {
      data: { role: 'attendee' },
    });
    assert.equal(reset.status(), 200);
    const bell = attendee.getByRole('button', { name: 'Notifications, aucune non lue' });
    const list = attendee.getByRole('region', { name: 'Notifications', exact: true });
    const markAll = list.getByRole('button', { name: 'Tout marquer comme lu' });
    await attendee.getByRole('button', { name: /^Notifications, aucune non lue$|non lues?$/ }).click();
    if (await markAll.isEnabled()) await markAll.click();
    await bell.waitFor();
    await attendee.keyboard.press('Escape');
    await organiser.getByRole('link', { name: 'Members', exact: true }).click();
    const members = organiser.getByRole('region', { name: 'Members', exact: true });
    await members.getByRole('searchbox').fill('Aurélie');
    await members.getByRole('button', { name: 'Find' }).click();
    await members.getByLabel('Role of Aurélie Attendee').selectOption('speaker');
    await organiser.getByText('Aurélie Attendee has a new role.').waitFor();

    const ringing = attendee.getByRole('button', { name: '1 notification non lue' });
    await ringing.waitFor();
    assert.equal((await ringing.innerText()).trim(), '1');
    await ringing.click();
    // Newest first: on a re-run the earlier ones follow.
    const sentence = list.getByRole('link', { name: /^Votre rôle dans .+ est désormais : Intervenant\.$/ }).first();
    await sentence.waitFor();
    await audit(attendee);
    await screenshot(attendee, 'notifications-fr.png');
    await attendee.setViewportSize({ width: 390, height: 900 });
    await screenshot(attendee, 'notifications-fr-mobile.png');
    await attendee.setViewportSize({ width: 1280, height: 1100 });

    await sentence.click();
    await attendee.waitForURL(`${BASE}/c/ecc-2026`);
    await bell.waitFor();

    // Back to attendee: a second notification, cleared with "mark all as read".
    await members.getByLabel('Role of Aurélie Attendee').selectOption('attendee');
    await ringing.waitFor();
    await ringing.click();
    await list.getByRole('link', { name: /est désormais : Participant\.$/ }).first().waitFor();
    await markAll.click();
    await bell.waitFor();
    assert.deepEqual(problems, [], 'no uncaught errors in the pages');
  } finally {
    await browser.close();
  }
});
