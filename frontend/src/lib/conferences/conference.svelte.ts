/**
 * The conference the user is looking at (one at a time), shared by its pages:
 * the agenda, a session, the schedule and the organiser's editor.
 */
import { api, type Conference } from '../api';

export class ConferenceState {
  readonly slug: string;
  conference = $state<Conference | null>(null);
  error = $state<unknown>(null);

  constructor(slug: string) {
    this.slug = slug;
  }

  get isOrganiser(): boolean {
    return this.conference?.my_role === 'organiser';
  }

  async load(): Promise<void> {
    this.error = null;
    try {
      this.conference = await api.conference(this.slug);
    } catch (e) {
      this.error = e;
    }
  }
}
