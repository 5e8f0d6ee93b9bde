/**
 * One read over every record of who changed what in an office: the configuration, users and
 * devices, message and ticket templates, bans set and lifted, and the online-booking settings
 * (the crisis switch among them). Each kind keeps its own table (and its own undo); this is the
 * reading side only, newest first, filtered by kind, person and time.
 */

export const AUDIT_KINDS = ['config', 'people', 'templates', 'bans', 'booking-settings'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

/** One field that changed, by path, from → to (null = absent or the default). */
export interface AuditFieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

export interface AuditLogEntry {
  kind: AuditKind;
  /** Unique across kinds (`config:12`); a config or template change's own id follows the colon. */
  ref: string;
  /** Epoch ms. */
  at: number;
  userId: string | null;
  username: string | null;
  /** How the change came in (api, file, cli, undo; settings, crisis for booking settings). */
  via: string;
  /** What was changed, in a word or two: sections, `user` + id, template kind and language, the ban. */
  subject: string;
  changes: AuditFieldChange[];
}

export interface AuditLogFilter {
  kinds: readonly AuditKind[];
  /** A user's id or username; absent = anybody. */
  who?: string | undefined;
  /** Epoch ms, `[from, to)`. */
  from: number;
  to: number;
  limit: number;
}

/** A row as the store reads it: every kind in the same columns, JSON still text. */
export interface AuditLogRow {
  kind: AuditKind;
  ref: string;
  at: number;
  userId: string | null;
  username: string | null;
  via: string | null;
  subject: string | null;
  a: string | null;
  b: string | null;
}

export interface AuditLogStore {
  /** Rows of the filter, newest first, at most `limit`. */
  rows(officeId: string, filter: AuditLogFilter): Promise<AuditLogRow[]>;
}

const parse = (text: string | null): unknown => (text === null ? null : (JSON.parse(text) as unknown));
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fields of two flat records that differ, by `<prefix>.<key>`. */
export function recordDiff(prefix: string, before: unknown, after: unknown): AuditFieldChange[] {
  const from = isRecord(before) ? before : {};
  const to = isRecord(after) ? after : {};
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return keys
    .filter((k) => JSON.stringify(from[k] ?? null) !== JSON.stringify(to[k] ?? null))
    .map((k) => ({ path: `${prefix}.${k}`, from: from[k] ?? null, to: to[k] ?? null }));
}

/** A stored row as staff read it. */
export function auditEntryOf(r: AuditLogRow): AuditLogEntry {
  const base = { kind: r.kind, ref: r.ref, at: r.at, userId: r.userId, username: r.username, via: r.via ?? 'api' };
  switch (r.kind) {
    case 'config':
      return { ...base, subject: ((parse(r.subject) as string[] | null) ?? []).join(', '), changes: (parse(r.a) as AuditFieldChange[] | null) ?? [] };
    case 'templates':
      return { ...base, subject: r.subject ?? '', changes: (parse(r.a) as AuditFieldChange[] | null) ?? [] };
    case 'people': {
      // `entity id action` as stored; staff know a user by username and a device by name, not by id.
      const [entity = '', id = '', action = ''] = (r.subject ?? '').split(' ');
      const before = parse(r.a);
      const after = parse(r.b);
      const named = [after, before].map((v) => (isRecord(v) ? (v['username'] ?? v['name']) : undefined)).find((n) => typeof n === 'string');
      return { ...base, subject: `${entity} ${typeof named === 'string' ? named : id} ${action}`.trim(), changes: recordDiff(entity, before, after) };
    }
    case 'booking-settings': {
      const p = parse(r.a) as { via?: string; changes?: { field: string; from: unknown; to: unknown }[] } | null;
      return { ...base, via: p?.via ?? 'settings', subject: 'booking', changes: (p?.changes ?? []).map((c) => ({ path: c.field, from: c.from, to: c.to })) };
    }
    case 'bans': {
      // A ban set: its reason and end; a ban lifted: the reason given for lifting it.
      const lift = r.ref.startsWith('bans:lift:');
      const detail = lift ? (parse(r.a) as { banId?: string; reason?: string } | null) : null;
      return lift
        ? { ...base, subject: `lifted ${detail?.banId ?? ''}`.trim(), changes: [{ path: 'ban.lifted', from: null, to: detail?.reason ?? '' }] }
        : { ...base, subject: `set ${r.ref.slice('bans:set:'.length)}`, changes: [{ path: 'ban.reason', from: null, to: r.a }, { path: 'ban.endsAt', from: null, to: Number(r.b) }] };
    }
    default: {
      const never: never = r.kind;
      throw new Error(`unknown audit kind ${String(never)}`);
    }
  }
}
