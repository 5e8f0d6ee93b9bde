import type { Language, Office } from '../shared/model.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { PeopleStore } from './people.ts';
import type { ChangedBy } from './people.ts';

/**
 * A new office of the install starts empty: no departments, services or counters, closed every
 * day of the week until its admin sets the hours (an office that opens by itself at hours nobody
 * chose would take tickets nobody serves). Fairness settings start at the engine's usual values.
 */
export function emptyOffice(input: { id: string; name: string; timeZone: string; languages: readonly Language[] }): Office {
  return {
    id: input.id,
    name: input.name,
    timeZone: input.timeZone,
    languages: input.languages,
    hours: [[], [], [], [], [], [], []],
    closedDays: [],
    settings: { maxWaitMin: 45, maxRecalls: 2, defaultServiceMin: 6, priorityCategories: [] },
  };
}

/** An office id from its name: lower-case ASCII letters, digits and dashes (`Úřad Kostelec` → `urad-kostelec`). */
export function officeIdFrom(name: string): string {
  const id = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return id === '' ? 'office' : id;
}

/**
 * Creates an office of the install with its audit row. With `id` given, a taken id is
 * OFFICE_EXISTS; a generated one gets `-2`, `-3`… until free.
 */
export async function createOffice(
  c: { store: PeopleStore; by: ChangedBy; now: number },
  input: { id?: string; name: string; timeZone: string; languages: readonly Language[] },
): Promise<Result<Office>> {
  const base = input.id ?? officeIdFrom(input.name);
  for (let n = 1; n <= 100; n++) {
    const id = n === 1 ? base : `${base}-${n}`;
    const office = emptyOffice({ ...input, id });
    const after = { name: office.name, timeZone: office.timeZone, languages: office.languages.join(',') };
    if (await c.store.insertOffice(office, { ...c.by, officeId: id, at: c.now, entity: 'office', entityId: id, action: 'created', before: null, after })) return ok(office);
    if (input.id !== undefined) break;
  }
  return fail('OFFICE_EXISTS');
}
