/** Bookmarking a session: flip it at once, undo if the server refuses. */
import { api, type Session } from '../api';

export async function toggleBookmark(slug: string, session: Session): Promise<void> {
  const on = !session.bookmarked;
  session.bookmarked = on;
  try {
    await api.bookmark(slug, session.id, on);
  } catch (e) {
    session.bookmarked = !on;
    throw e;
  }
}
