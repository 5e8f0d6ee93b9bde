import { FILE_PARTS, OfficeFile, type OfficeFileT } from '../../contracts/office-file.ts';
import type { OfficeConfigData } from '../../core/config/model.ts';
import { diffTrees, type Json, type ListKeys, type TreeChange } from '../../core/config/tree-diff.ts';
import { formatDiff } from './diff-text.ts';
import { formatFileError, parseYamlFile, type PathKey } from './parse.ts';
import { renderOfficeFile } from './render.ts';

/**
 * `fronta office export` and `fronta office apply`: an office's configuration as a file an IT
 * department keeps in version control. Apply reads the file whole, checks it with the API's schema
 * and then the same validation as every other change, shows what it changes and applies it as one
 * change (one transaction, one audit record, via "file"). The same file twice: the second time
 * there is nothing to change, and nothing is written.
 */

/** The lists whose items have an identity, for the diff (everything else is compared whole). */
export const OFFICE_LIST_KEYS: ListKeys = {
  departments: 'id',
  services: 'id',
  counters: 'id',
  'fairness.priorityCategories': 'id',
  'calendar.closedDays': 'date',
  'calendar.changedDays': 'date',
  'services[].rules.outcomes': 'id',
  webhooks: 'id',
};

/** Where the configuration lives: the config store and its one change path (validation, audit, event). */
export interface OfficeConfigGateway {
  /** The whole file's content: the configuration and every part kept apart from it. */
  read(officeId: string): Promise<OfficeFileData | null>;
  /**
   * Replaces the office's whole configuration (creating the office if it has none) as one change
   * made via the office file, and the parts the file holds, in one transaction; `preview` checks
   * it all and changes nothing. A refusal names the field.
   */
  replace(officeId: string, file: OfficeFileT, preview: boolean): Promise<ReplaceOutcome>;
}

/** A booking the change leaves without its time (a closed day, shorter hours, a service gone): nothing personal. */
export interface StrandedBooking {
  number: string;
  serviceId: string;
  day: string;
  /** Office-local `HH:MM`. */
  time: string;
  reason: string;
}

/** What an office holds of the file: its configuration and the parts kept apart from it. */
export type OfficeFileData = OfficeConfigData & Pick<OfficeFileT, (typeof FILE_PARTS)[number]>;

/** A webhook the file added, with its signing secret: shown this once, as the API shows it. */
export interface NewSecret {
  webhookId: string;
  secret: string;
}

export type ReplaceOutcome =
  | { ok: true; changeId: number | null; affectedBookings: readonly StrandedBooking[]; secrets: readonly NewSecret[] }
  | { ok: false; path: readonly PathKey[] | string; message: string };

export async function exportOffice(gateway: OfficeConfigGateway, officeId: string): Promise<string | null> {
  const config = await gateway.read(officeId);
  if (config === null) return null;
  // Through the schema: its key order is the file's, and a stored value it would refuse is a bug to hear of now.
  return renderOfficeFile(OfficeFile.parse(config));
}

export type ApplyOutcome =
  /** The file, or the change it asks for, is refused: one line per problem, `office.yaml:42 services[2].prefix: …`. */
  | { kind: 'refused'; errors: string[] }
  | { kind: 'unchanged'; officeId: string }
  | { kind: 'previewed'; officeId: string; diff: string; changes: readonly TreeChange[]; affectedBookings: readonly StrandedBooking[] }
  | {
      kind: 'applied';
      officeId: string;
      diff: string;
      changes: readonly TreeChange[];
      changeId: number | null;
      affectedBookings: readonly StrandedBooking[];
      secrets: readonly NewSecret[];
    };

export async function applyOfficeFile(
  gateway: OfficeConfigGateway,
  req: { text: string; fileName: string; officeId?: string | undefined; dryRun: boolean },
): Promise<ApplyOutcome> {
  const parsed = parseYamlFile(req.text, OfficeFile);
  if (!parsed.ok) return { kind: 'refused', errors: parsed.errors.map((e) => formatFileError(req.fileName, e)) };
  // --office applies the file to another office than the one it was exported from (a second branch office).
  const officeId = req.officeId ?? parsed.value.id;
  const next: OfficeFileT = { ...parsed.value, id: officeId };
  // The office lists its webhooks by id, whatever order a file gives them in.
  if (next.webhooks !== undefined) next.webhooks = next.webhooks.map((w) => ({ ...w, url: savedUrl(w.url) })).sort((a, b) => a.id.localeCompare(b.id));
  const current: Partial<OfficeFileData> | null = await gateway.read(officeId);
  // A part the file leaves out is left as it is: not a difference.
  if (current !== null) for (const part of FILE_PARTS) if (next[part] === undefined) delete current[part];
  const changes = diffTrees((current ?? undefined) as Json | undefined, next as unknown as Json, OFFICE_LIST_KEYS);
  if (changes.length === 0) return { kind: 'unchanged', officeId };
  // Even a dry run goes through the validation: a file that would be refused says so now, not on the day it is applied.
  const outcome = await gateway.replace(officeId, next, req.dryRun);
  if (!outcome.ok) {
    const path = typeof outcome.path === 'string' ? splitPath(outcome.path) : outcome.path;
    return { kind: 'refused', errors: [formatFileError(req.fileName, { ...parsed.locate(path), message: outcome.message })] };
  }
  const diff = formatDiff(changes);
  const { affectedBookings } = outcome;
  return req.dryRun
    ? { kind: 'previewed', officeId, diff, changes, affectedBookings }
    : { kind: 'applied', officeId, diff, changes, changeId: outcome.changeId, affectedBookings, secrets: outcome.secrets };
}

/** A webhook's address as the office keeps it (`HTTPS://Erp.example` → `https://erp.example/`), so that the same file twice is no change. */
function savedUrl(text: string): string {
  try {
    const url = new URL(text);
    url.hash = '';
    return url.toString();
  } catch {
    // Refused, with its line, by the webhook check.
    return text;
  }
}

/** `hours.mon.breaks.0` or `services.passports.prefix` → steps (the file finds an item by position or by id). */
const splitPath = (path: string): PathKey[] => (path === '' ? [] : path.split('.'));
