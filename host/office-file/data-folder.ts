import { existsSync, mkdirSync } from 'node:fs';
import type { Clock } from '../../core/queue/ports.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { databaseFile } from '../paths.ts';
import { OfficeCommandError, officeApply, officeExport, type CommandResult } from './command.ts';
import type { FilePartsOptions } from './file-parts.ts';
import { officeGateway } from './gateway.ts';

export type OfficeCommand = { sub: 'export'; officeId?: string | undefined } | { sub: 'apply'; file: string; officeId?: string | undefined; dryRun: boolean };

/**
 * `fronta office export | apply` on a data folder. An office file may set up an empty folder (an
 * office kept in version control, installed anew): the file is first checked against an empty
 * database in memory, so a refused file, or a dry run, leaves no data folder behind.
 */
export async function runOfficeCommand(cmd: OfficeCommand, ctx: { dataDir: string; existing: () => Db; clock: Clock; options?: FilePartsOptions }): Promise<CommandResult> {
  if (cmd.sub === 'export') {
    const db = ctx.existing();
    return officeExport(officeGateway(db, ctx.clock, ctx.options), cmd.officeId ?? onlyOffice(db));
  }
  if (existsSync(databaseFile(ctx.dataDir))) return officeApply(officeGateway(ctx.existing(), ctx.clock, ctx.options), cmd);
  const memory = openDatabase(':memory:');
  let checked: CommandResult;
  try {
    checked = await officeApply(officeGateway(memory, ctx.clock, ctx.options), { ...cmd, dryRun: true });
  } finally {
    memory.close();
  }
  if (cmd.dryRun || checked.code !== 0) return checked;
  mkdirSync(ctx.dataDir, { recursive: true });
  const db = openDatabase(databaseFile(ctx.dataDir));
  try {
    return await officeApply(officeGateway(db, ctx.clock, ctx.options), cmd);
  } finally {
    db.close();
  }
}

/** With one office in the install, `--office` may be left out. */
function onlyOffice(db: Db): string {
  const ids = db.prepare('SELECT id FROM offices ORDER BY id').pluck().all() as string[];
  if (ids.length === 1) return ids[0]!;
  throw new OfficeCommandError(ids.length === 0 ? 'no office in this data folder' : `give --office: this install has ${ids.join(', ')}`);
}
