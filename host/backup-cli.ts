import { resolve } from 'node:path';
import { BackupError, backupDatabase, restoreDatabase } from './backup.ts';
import type { HostConfig } from './config.ts';

/** `fronta backup [--to DIR]` and `fronta restore FILE`; a refusal is one line on stderr and exit code 2. */
export async function backupCommand(command: 'backup' | 'restore', args: { to: string | undefined; file: string | undefined; config: HostConfig }): Promise<number> {
  const { config } = args;
  try {
    if (command === 'backup') {
      const dir = resolve(args.to ?? config.backups?.dir ?? `${config.dataDir}/backups`);
      const r = await backupDatabase(config.dataDir, dir, Date.now());
      process.stdout.write(
        `backup written: ${r.file} (${(r.bytes / 1e6).toFixed(1)} MB, ${r.ms} ms, integrity checked)\n` +
          `The sealing key is not in it: keep a copy of ${config.booking.keyFile} apart from the backups.\n`,
      );
      return 0;
    }
    if (args.file === undefined) throw new BackupError('which backup? fronta restore FILE');
    const { keptAt } = restoreDatabase(config.dataDir, resolve(args.file), Date.now());
    process.stdout.write(
      `restored ${args.file} into ${config.dataDir}${keptAt === null ? '' : `; the database it replaced is kept in ${keptAt}`}\n` +
        `Start the host with the sealing key the backup was made under, or its contacts cannot be opened.\n`,
    );
    return 0;
  } catch (err) {
    if (!(err instanceof BackupError)) throw err;
    process.stderr.write(`fronta: ${err.message}\n`);
    return 2;
  }
}
