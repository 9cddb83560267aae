/** Grouping a session's people by role, in the order a programme lists them. */
import { SESSION_ROLES, type SessionPerson, type SessionRole } from '../api';

export function peopleByRole(people: readonly SessionPerson[]): [SessionRole, SessionPerson[]][] {
  return SESSION_ROLES.map((role) => [role, people.filter((p) => p.role === role)] as [SessionRole, SessionPerson[]]).filter(
    ([, list]) => list.length > 0,
  );
}
