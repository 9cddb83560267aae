/**
 * Which announcements each person has dismissed in this browser (localStorage, per account),
 * shared by every banner so dismissing one hides it on every page.
 */
import { parseDismissed, withDismissed } from './announcements';

const PREFIX = 'viaduc.dismissed-announcements.';

class Dismissals {
  #user: string | null = null;
  ids = $state<string[]>([]);

  /** Reads the dismissals of `userId` (again only when the account changes). */
  load(userId: string): void {
    if (this.#user === userId) return;
    this.#user = userId;
    try {
      this.ids = parseDismissed(localStorage.getItem(PREFIX + userId));
    } catch {
      this.ids = []; // storage disabled: dismissals last until the page is left
    }
  }

  has(id: string): boolean {
    return this.ids.includes(id);
  }

  dismiss(id: string): void {
    this.ids = withDismissed(this.ids, id);
    if (!this.#user) return;
    try {
      localStorage.setItem(PREFIX + this.#user, JSON.stringify(this.ids));
    } catch {
      // storage full or disabled: the dismissal still holds for this page
    }
  }
}

export const dismissals = new Dismissals();
