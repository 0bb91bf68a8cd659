import { request } from '@playwright/test';
import { API_HEADERS, COACH, DEMO_PASSWORD } from '../fixtures';
import type { OwnServer } from '../server';

/** How many relationships the busy coach has, and how many weeks of sessions each. */
export const RELATIONSHIPS = 20;
export const WEEKS = 52;

/**
 * Gives the demo coach of `server` a year of weekly sessions (half past, half ahead) in
 * each of `RELATIONSHIPS` relationships: the demo's two coachees and new ones, each made as
 * an organization member with the coach (the coach is made a super administrator for it,
 * through the server's administration command), each series one `POST
 * /coaching_session_series`.
 */
export async function seedBusyCoach(server: OwnServer): Promise<void> {
  await server.admin('create-superadmin', '--email', COACH.email, '--first-name', 'Alex', '--last-name', 'Morgan');
  const api = await request.newContext({ baseURL: server.base, extraHTTPHeaders: API_HEADERS });
  const login = await api.post('/api/login', { form: { email: COACH.email, password: DEMO_PASSWORD } });
  if (!login.ok()) throw new Error(`sign-in: ${login.status()}`);
  const coach = (await login.json()).data;
  const data = async (response: { ok(): boolean; status(): number; json(): Promise<any>; url(): string }) => {
    if (!response.ok()) throw new Error(`${response.url()}: ${response.status()}`);
    return (await response.json()).data;
  };
  const organizations = await data(await api.get(`/api/users/${coach.id}/organizations`));
  const organization = organizations[0].id;
  let relationships: { id: string }[] = await data(await api.get(`/api/users/${coach.id}/coaching-relationships?role=coach`));
  for (let i = relationships.length; i < RELATIONSHIPS; i++) {
    await data(
      await api.post(`/api/organizations/${organization}/users`, {
        data: { email: `coachee${i}@bench.test`, first_name: 'Coachee', last_name: `Number ${i}`, coach_id: coach.id },
      }),
    );
  }
  relationships = await data(await api.get(`/api/users/${coach.id}/coaching-relationships?role=coach`));
  const start = new Date(Date.now() - (WEEKS / 2) * 7 * 86_400_000);
  const startAt = `${start.toISOString().slice(0, 10)}T09:00:00`;
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][start.getUTCDay()];
  for (const relationship of relationships.slice(0, RELATIONSHIPS)) {
    await data(
      await api.post('/api/coaching_session_series', {
        data: {
          coaching_relationship_id: relationship.id,
          start_at: startAt,
          duration_minutes: 45,
          recurrence: { interval_weeks: 1, weekdays: [weekday], count: WEEKS },
        },
      }),
    );
  }
  await api.dispose();
}
