import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { copySqliteToPostgres, CopyRefusedError, type CopyReport } from '../store/postgres/copy.ts';
import { createPool, isLostConnection, isPostgresUrl } from '../store/postgres/pool.ts';
import { openDatabase } from '../store/database.ts';
import { databaseFile } from './paths.ts';
import { redactUrl } from './start-checks.postgres.ts';

/**
 * `fronta store copy --from sqlite:<data folder or .db file> --to postgres://…`: an office's data
 * from its appliance to the city's server (store/postgres/copy.ts), with a table of row counts and
 * checksums of both sides. Exit 0: copied and verified; 1: a difference, nothing written; 2: refused, or the server
 * could not be reached or went away (one line on stderr).
 */
export async function storeCopyCommand(args: { from: string | undefined; to: string | undefined }): Promise<number> {
  const refuse = (message: string): number => {
    process.stderr.write(`fronta: ${message}\n`);
    return 2;
  };
  if (args.from === undefined || !args.from.startsWith('sqlite:')) return refuse('--from sqlite:<data folder or fronta.db> is needed');
  if (args.to === undefined || !isPostgresUrl(args.to)) return refuse('--to postgres://user@host:port/database is needed');
  const path = resolve(args.from.slice('sqlite:'.length));
  const file = existsSync(path) && statSync(path).isDirectory() ? databaseFile(path) : path;
  if (!existsSync(file)) return refuse(`no Fronta database at ${file}`);
  const target = redactUrl(args.to);
  const source = openDatabase(file);
  const pool = createPool(args.to, { max: 1, applicationName: 'fronta store copy' });
  try {
    const report = await copySqliteToPostgres(source, pool);
    process.stdout.write(formatReport(report));
    const rows = report.tables.reduce((n, t) => n + t.source.rows, 0);
    if (!report.ok) {
      process.stderr.write(`fronta: the copy in ${target} differs from ${file} (see MISMATCH above); rolled back, the target is unchanged\n`);
      return 1;
    }
    process.stdout.write(`copied ${rows} rows of ${report.tables.length} tables from ${file} to ${target}; counts and checksums match\n`);
    return 0;
  } catch (err) {
    if (err instanceof CopyRefusedError) return refuse(err.message);
    const code = (err as { code?: unknown }).code;
    // Cannot reach or enter the server, or it went away during the copy: one line, not a stack trace.
    if (typeof code === 'string' && (/^(28|3D|08)/.test(code) || code.startsWith('E'))) return refuse(`cannot use ${target}: ${(err as Error).message}`);
    if (isLostConnection(err)) {
      return refuse(`lost the connection to ${target} (${(err as Error).message}); the copy is one transaction, so the target has none of it unless it had committed: run the copy again (a target already filled is refused)`);
    }
    throw err;
  } finally {
    await pool.end();
    source.close();
  }
}

export function formatReport(report: CopyReport): string {
  const width = Math.max(5, ...report.tables.map((t) => t.table.length));
  const head = `${'table'.padEnd(width)}  ${'sqlite rows'.padStart(11)}  ${'postgres rows'.padStart(13)}  checksum (SHA-256)\n`;
  const lines = report.tables.map((t) => {
    const sums = t.ok ? t.source.sha256.slice(0, 16) : `${t.source.sha256.slice(0, 16)} ≠ ${t.target.sha256.slice(0, 16)}  MISMATCH`;
    return `${t.table.padEnd(width)}  ${String(t.source.rows).padStart(11)}  ${String(t.target.rows).padStart(13)}  ${sums}\n`;
  });
  return head + lines.join('');
}
