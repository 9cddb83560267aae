/**
 * Who is logged in. Loaded once at start-up from GET /api/auth/session (200 for a visitor
 * too, so an anonymous page load logs no failed request); login, signup and logout keep it
 * current. The API client clears it when the login is lost.
 */
import { api, type Me } from '../api';

class Auth {
  me = $state<Me | null>(null);
  /** False until the first GET /api/auth/session has answered. */
  ready = $state(false);

  async load(): Promise<void> {
    try {
      this.me = (await api.currentLogin()).user;
    } catch {
      this.me = null;
    } finally {
      this.ready = true;
    }
  }

  async login(email: string, password: string): Promise<void> {
    this.me = await api.login(email, password);
  }

  async signup(email: string, password: string, displayName: string): Promise<void> {
    this.me = await api.signup(email, password, displayName);
  }

  async logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.me = null;
    }
  }
}

export const auth = new Auth();
