import type { LoggedEvent } from '../shared/events.ts';
import { localTime } from '../shared/office-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { affectedBookings, type AffectedBooking } from './affected-bookings.ts';
import { CONFIG_SECTIONS, type ConfigPatchData, type ConfigSectionName, type ConfigVia, type FieldChangeData, type OfficeConfigData } from './model.ts';
import { applyPatch, diffConfig } from './patch.ts';
import type { ConfigStore } from './ports.ts';
import { liveProblem, validateConfig, type ConfigProblem } from './validate.ts';

/**
 * Every change of an office's configuration, whoever makes it (a back-office form, the API, the
 * office file, an undo): the patch is applied to the configuration as it is now, the whole result
 * validated, checked against what is live, the stranded bookings listed; a preview stops there,
 * otherwise the store writes it with its audit record and its `config:changed` event.
 */

export interface ChangeInput {
  officeId: string;
  /**
   * The change, made from the configuration as it is now (a form's partial update merges into it).
   * Called again if another change landed first.
   */
  build: (current: OfficeConfigData) => Result<ConfigPatchData>;
  preview: boolean;
  userId: string | null;
  via: ConfigVia;
  undoOf?: number | null;
  /** Sections the caller may change: a change touching another is refused (FORBIDDEN), previews too. */
  allowed: (sections: readonly ConfigSectionName[]) => boolean;
  /**
   * The sections the request is about (its route), checked before the change is even built: a
   * caller who may not change them is told so, not what their change would have run into.
   */
  addresses?: readonly ConfigSectionName[];
  now: number;
}

export interface ChangeOutcome {
  applied: boolean;
  changeId: number | null;
  sections: ConfigSectionName[];
  changes: FieldChangeData[];
  affectedBookings: AffectedBooking[];
  config: OfficeConfigData;
  /** The committed event (to fan out), when applied. */
  event: LoggedEvent | null;
}

const refused = <T>(p: ConfigProblem): Result<T> => fail(p.code, { field: p.field, ...p.params });

function patchSections(p: ConfigPatchData): ConfigSectionName[] {
  const named = CONFIG_SECTIONS.filter((s) => p[s] !== undefined);
  const ordered = Object.keys(p.order ?? {}) as ConfigSectionName[];
  return [...named, ...ordered];
}

/** Attempts before giving up when other changes keep landing first (each costs a read). */
const ATTEMPTS = 5;

export async function changeConfig(deps: { config: ConfigStore }, input: ChangeInput): Promise<Result<ChangeOutcome>> {
  if (input.addresses !== undefined && input.addresses.length > 0 && !input.allowed(input.addresses)) return fail('FORBIDDEN');
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const loaded = await deps.config.load(input.officeId);
    if (loaded === null) return fail('OFFICE_NOT_FOUND');
    const current = loaded.config;
    const patch = input.build(current);
    if (!patch.ok) return patch;
    const next = applyPatch(current, patch.value);
    const diff = diffConfig(current, next);
    // What the change addresses counts, not only what differs: a change that happens to change
    // nothing is still one the caller may or may not make.
    if (!input.allowed([...new Set([...patchSections(patch.value), ...diff.sections])])) return fail('FORBIDDEN');
    const invalid = validateConfig(next, current);
    if (invalid !== null) return refused(invalid);
    const live = await deps.config.liveUse(input.officeId);
    const busy = liveProblem(current, next, live);
    if (busy !== null) return refused(busy);
    const today = localTime(current.office.timeZone, input.now).date;
    const touchesBookings = diff.sections.some((s) => s === 'hours' || s === 'calendar' || s === 'services' || s === 'counters' || s === 'office');
    const affected = touchesBookings ? affectedBookings(current, next, await deps.config.activeBookings(input.officeId, today)) : [];
    const outcome = { sections: diff.sections, changes: diff.changes, affectedBookings: affected, config: next };
    if (input.preview || diff.sections.length === 0) return ok({ ...outcome, applied: false, changeId: null, event: null });
    const removedServiceIds = current.services.filter((s) => !next.services.some((n) => n.id === s.id)).map((s) => s.id);
    const removedCounterIds = current.counters.filter((x) => !next.counters.some((n) => n.id === x.id)).map((x) => x.id);
    const committed = await deps.config.commit({
      officeId: input.officeId,
      version: loaded.version,
      next,
      sections: diff.sections,
      changes: diff.changes,
      before: diff.backward,
      after: diff.forward,
      userId: input.userId,
      via: input.via,
      undoOf: input.undoOf ?? null,
      at: input.now,
      removedServiceIds,
      removedCounterIds,
    });
    if (committed.kind === 'stale') continue;
    if (committed.kind === 'id-taken') return fail('CONFIG_ID_TWICE', { field: `${committed.section}.${committed.id}.id`, id: committed.id });
    if (committed.kind === 'busy') {
      const p = liveProblem(current, next, committed.live);
      return p === null ? fail('CONFIG_SERVICE_IN_USE', { prefix: '', count: 0 }) : refused(p);
    }
    return ok({ ...outcome, applied: true, changeId: committed.changeId, event: committed.event });
  }
  return fail('RATE_LIMITED');
}

/** Undo: the record's old values, re-applied as a new change through the same path. */
export async function undoChange(
  deps: { config: ConfigStore },
  input: Omit<ChangeInput, 'build' | 'via' | 'undoOf'> & { changeId: number },
): Promise<Result<ChangeOutcome>> {
  const entry = await deps.config.auditEntry(input.officeId, input.changeId);
  if (entry === null) return fail('CONFIG_CHANGE_NOT_FOUND');
  return changeConfig(deps, { ...input, build: () => ok(entry.before), via: 'undo', undoOf: entry.id });
}
