import type { KeyedHash } from '../booking/model.ts';
import type { Keyed } from '../booking/ports.ts';
import { identityHashes } from '../booking/applicant.ts';
import type { HoldCheck } from '../booking/deps.ts';
import type { Clock, QueueStore } from '../queue/ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { parseRosterCsv, type RosterLine } from './roster-csv.ts';
import type { RulesStore } from './service-rules.ts';

/**
 * Roster-gated services (Qujing: "ID + name + phone must match the registration"): only people
 * on the list the office imported may book, and only with the phone on file — the client cannot
 * change it. The document number is kept only as its keyed identity hash (one per key still known
 * matches it, so keys can rotate); name and phone are sealed, opened only to compare them and to
 * show an admin's preview who changes.
 */

export interface RosterEntry {
  /** The document number's identity hash, and the id of the key that made it. */
  identityKeyId: string;
  identityHash: string;
  nameSealed: string;
  /** E.164, sealed. */
  phoneSealed: string;
}

export interface RosterStore {
  rosterEntries(serviceId: string): Promise<RosterEntry[]>;
  /** The entry of a person, found by any of their identity hashes (one per key still known). */
  rosterEntry(serviceId: string, identity: readonly KeyedHash[]): Promise<RosterEntry | null>;
  /** Upserts `put` and deletes `remove` (identity hashes), in the caller's transaction. */
  replaceRoster(serviceId: string, put: readonly RosterEntry[], remove: readonly string[], at: number): Promise<void>;
}

/** Names match regardless of case and spacing ("JAN  NOVÁK" = "Jan Novák"), not of accents. */
const sameName = (a: string, b: string): boolean => {
  const fold = (s: string): string => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
  return fold(a) === fold(b);
};

/** What a roster row says, opened; null when it was sealed with a key no longer configured. */
function opened(keyed: Pick<Keyed, 'open'>, e: RosterEntry): { name: string; phone: string } | null {
  const name = keyed.open(e.nameSealed);
  const phone = keyed.open(e.phoneSealed);
  return name === null || phone === null ? null : { name, phone };
}

/** What an admin sees of a row: enough to recognise the person, the document masked. */
export interface RosterRowView {
  line: number | null;
  document: string | null;
  name: string;
  phone: string;
  /** For a changed row: which fields differ from the roster. */
  fields?: ('name' | 'phone')[];
}

export interface RosterDiff {
  serviceId: string;
  rows: number;
  added: RosterRowView[];
  changed: RosterRowView[];
  removed: RosterRowView[];
  unchanged: number;
}

const mask = (s: string, keep: number): string => (s.length <= keep ? s : `${'•'.repeat(Math.min(6, s.length - keep))}${s.slice(-keep)}`);
const maskPhone = (p: string): string => (p.length <= 7 ? p : `${p.slice(0, 4)}${'•'.repeat(p.length - 7)}${p.slice(-3)}`);

export interface RosterDeps {
  store: QueueStore;
  roster: RosterStore;
  keyed: Keyed;
  clock: Clock;
}

interface Plan {
  diff: RosterDiff;
  put: RosterEntry[];
  remove: string[];
}

async function plan(deps: RosterDeps, officeId: string, serviceId: string, csv: string): Promise<Result<Plan>> {
  const service = await deps.store.getService(serviceId);
  if (service === null || service.officeId !== officeId) return fail('SERVICE_NOT_FOUND');
  const parsed = parseRosterCsv(csv);
  if (!parsed.ok) return parsed;
  const { keyed } = deps;
  const current = new Map((await deps.roster.rosterEntries(serviceId)).map((e) => [e.identityHash, e]));
  const diff: RosterDiff = { serviceId, rows: parsed.value.length, added: [], changed: [], removed: [], unchanged: 0 };
  const put: RosterEntry[] = [];
  const remove: string[] = [];
  const view = (r: RosterLine, fields?: ('name' | 'phone')[]): RosterRowView => ({
    line: r.line,
    document: mask(r.document, 4),
    name: r.name,
    phone: maskPhone(r.phone),
    ...(fields === undefined ? {} : { fields }),
  });
  for (const r of parsed.value) {
    const identity = identityHashes(keyed, r.document);
    const was = identity.map((h) => current.get(h.hash)).find((e) => e !== undefined);
    const entry: RosterEntry = { identityKeyId: identity[0]!.keyId, identityHash: identity[0]!.hash, nameSealed: keyed.seal(r.name), phoneSealed: keyed.seal(r.phone) };
    if (was === undefined) {
      diff.added.push(view(r));
      put.push(entry);
      continue;
    }
    current.delete(was.identityHash);
    // A row kept from before a key rotation moves to the current key.
    if (was.identityHash !== entry.identityHash) remove.push(was.identityHash);
    const before = opened(keyed, was);
    const fields = [...(before !== null && sameName(before.name, r.name) ? [] : ['name' as const]), ...(before?.phone === r.phone ? [] : ['phone' as const])];
    if (fields.length === 0) diff.unchanged++;
    else diff.changed.push(view(r, fields));
    if (fields.length > 0 || was.identityHash !== entry.identityHash) put.push(entry);
  }
  for (const gone of current.values()) {
    const was = opened(keyed, gone);
    diff.removed.push({ line: null, document: null, name: was?.name ?? '', phone: maskPhone(was?.phone ?? '') });
    remove.push(gone.identityHash);
  }
  return ok({ diff, put, remove });
}

/** What importing the file would change; writes nothing. */
export async function previewRoster(deps: RosterDeps, officeId: string, serviceId: string, csv: string): Promise<Result<RosterDiff>> {
  const p = await plan(deps, officeId, serviceId, csv);
  return p.ok ? ok(p.value.diff) : p;
}

/** Makes the file the service's roster, whole (one transaction): rows not in it are removed. */
export async function applyRoster(deps: RosterDeps, officeId: string, serviceId: string, csv: string): Promise<Result<RosterDiff>> {
  const p = await plan(deps, officeId, serviceId, csv);
  if (!p.ok) return p;
  await deps.roster.replaceRoster(serviceId, p.value.put, p.value.remove, deps.clock.now());
  return ok(p.value.diff);
}

/**
 * The hold check: on a roster service, the document number (sent as the identity key) must be
 * on the roster, with the same name and the same phone. Each mismatch has its own answer. Works
 * on hashes only, so it runs again at a draw's allocation.
 */
export function rosterCheck(rules: Pick<RulesStore, 'serviceRules'>, roster: Pick<RosterStore, 'rosterEntry'>): HoldCheck {
  return async (ctx, deps) => {
    if ((await rules.serviceRules(ctx.service.id))?.roster !== true) return ok(undefined);
    if (ctx.identity.length === 0) return fail('ROSTER_DOCUMENT_REQUIRED');
    const entry = await roster.rosterEntry(ctx.service.id, ctx.identity);
    const onFile = entry === null ? null : opened(deps.keyed, entry);
    if (onFile === null) return fail('ROSTER_NOT_LISTED');
    if (!sameName(onFile.name, ctx.name)) return fail('ROSTER_NAME_MISMATCH');
    if (ctx.phone !== onFile.phone) return fail('ROSTER_PHONE_MISMATCH');
    return ok(undefined);
  };
}
