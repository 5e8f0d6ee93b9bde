import { readFileSync } from 'node:fs';
import { applyOfficeFile, exportOffice, type OfficeConfigGateway, type StrandedBooking } from './office-file.ts';

/** What `fronta office export|apply` writes, and its exit code: 0 done (or nothing to do), 1 the file refused. */
export interface CommandResult {
  code: 0 | 1;
  stdout: string;
  stderr: string;
}

/** A command that cannot run (no such office, an unreadable file): one line, exit 2. Named, so the CLI knows it without loading this module. */
export class OfficeCommandError extends Error {
  override name = 'OfficeCommandError';
}

export async function officeExport(gateway: OfficeConfigGateway, officeId: string): Promise<CommandResult> {
  const text = await exportOffice(gateway, officeId);
  if (text === null) throw new OfficeCommandError(`no office ${officeId}`);
  return { code: 0, stdout: text, stderr: '' };
}

export async function officeApply(gateway: OfficeConfigGateway, req: { file: string; officeId?: string | undefined; dryRun: boolean }): Promise<CommandResult> {
  let text: string;
  try {
    text = req.file === '-' ? readFileSync(0, 'utf8') : readFileSync(req.file, 'utf8');
  } catch (e) {
    throw new OfficeCommandError(`cannot read ${req.file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const outcome = await applyOfficeFile(gateway, { text, fileName: req.file, officeId: req.officeId, dryRun: req.dryRun });
  switch (outcome.kind) {
    case 'refused':
      return { code: 1, stdout: '', stderr: `${outcome.errors.join('\n')}\n${req.file}: refused, nothing changed\n` };
    case 'unchanged':
      return { code: 0, stdout: `office ${outcome.officeId}: the file matches the office, nothing to change\n`, stderr: '' };
    case 'previewed':
      return {
        code: 0,
        stdout: `office ${outcome.officeId}: ${outcome.changes.length} changes (dry run, nothing changed)\n${outcome.diff}${stranded(outcome.affectedBookings, true)}`,
        stderr: '',
      };
    case 'applied':
      return {
        code: 0,
        stdout: `office ${outcome.officeId}: ${outcome.changes.length} changes applied${outcome.changeId === null ? '' : ` (change #${outcome.changeId} in the office's audit)`}\n${outcome.diff}${stranded(outcome.affectedBookings, false)}${outcome.secrets.map((s) => `webhook ${s.webhookId}: signing secret ${s.secret} (shown this once: give it to the receiver now)\n`).join('')}`,
        stderr: '',
      };
  }
}

const REASONS: Record<string, string> = {
  'day-closed': 'the day is closed',
  'outside-hours': 'outside the hours',
  'service-removed': 'the service is removed',
  'online-off': 'no longer booked online',
  'no-counter': 'no counter serves the service',
};

/** Bookings the change leaves without their time: the office moves or cancels them (the back office's office-change flow). */
function stranded(list: readonly StrandedBooking[], dryRun: boolean): string {
  if (list.length === 0) return '';
  const head = `${list.length} booking${list.length === 1 ? '' : 's'} ${dryRun ? 'would be' : 'are'} left without their time: move or cancel ${list.length === 1 ? 'it' : 'them'} in the back office\n`;
  return head + list.map((b) => `  ${b.number}  ${b.serviceId}  ${b.day} ${b.time}  (${REASONS[b.reason] ?? b.reason})\n`).join('');
}
