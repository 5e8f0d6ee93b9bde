import { existsSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CliError, devicesAdd, devicesList, devicesRevoke, init, officeAdd, officeOf, usersAdd } from './cli-people.ts';
import { changeBookingSettings } from '../core/booking/settings.ts';
import { MIN_RETENTION_DAYS } from '../core/booking/retention.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { KeyFileError, loadKeyMaterial, moveKey, nodeKeyed, resolveKeyFile } from './crypto.ts';
import { backupCommand } from './backup-cli.ts';
import { readConfig } from './config.ts';
import { databaseFile } from './paths.ts';
import { startRefusal } from './start-checks.ts';
import { openStores, type Stores } from './stores.ts';
import { systemClock } from './system.ts';

const USAGE = `fronta — queue and appointment host

  fronta serve [--host 127.0.0.1] [--port 8080] [--data ./data] [--public-url URL] [--demo] [--allowed-origins URL,URL]
               [--database postgres://user@host:port/db]
               (--demo: seed the demo office into an empty data folder and serve the /demo pages; npm start does;
                --database: a PostgreSQL database several hosts share instead of the data folder's SQLite file)
  fronta init --office-name NAME --time-zone Europe/Prague --languages cs,en [--admin-username admin] [--office-id ID]
               [--database postgres://…]
               (an empty data folder or database: its first office, without services or counters, and its install
                administrator with a one-time password; prints where to sign in)
  fronta office add --name NAME --time-zone ZONE --languages cs,en [--office-id ID] [--admin-username NAME]
  fronta users add --username NAME --role clerk|supervisor|admin [--office ID] [--password PW] [--name "Display name"] [--install-admin]
               (without --password: a one-time password, changed at the first sign-in; --office: needed with several offices)
  fronta devices add --kind kiosk|display --name NAME [--office ID] [--printer agent|none]
  fronta agent --host-url URL --token KIOSK_TOKEN --port /dev/ttyUSB0 [--profile epson-tm-t20] [--baud 9600] [--heartbeat-ms 5000]
  fronta devices list [--office ID]
  fronta devices revoke DEVICE_ID
  fronta office export [--office ID] > office.yaml   (the office's whole configuration as a commented YAML file)
  fronta office apply office.yaml [--dry-run] [--office ID]
               (shows the difference and applies it as one change; --dry-run changes nothing; exit 1: the file is refused)
  fronta retention set --days N [--office ID]     (personal data of bookings kept N days after the day; at least 10)
  fronta backup [--to DIR]                        (online copy of the database while the host runs; default DIR: <data>/backups)
  fronta restore FILE                             (puts a backup in place; refused while a host runs on the data folder)
  fronta key move [--to PATH]                     (moves data/secret.key out of the data folder; default: the key file setting)
  fronta store copy --from sqlite:DATA_DIR_OR_DB --to postgres://user@host/db
               (the appliance's data into an empty PostgreSQL database in one transaction, verified per table
                by row counts and checksums; exit 1 on a difference, with nothing written)

  --key-file PATH (every command that opens data): the sealing key, outside the data folder
  --database postgres://… (every command that opens data but office export/apply, backup, restore): PostgreSQL

Environment: PORT, HOST, FRONTA_DATA, FRONTA_DATABASE_URL, FRONTA_METRICS_FROM, FRONTA_METRICS_TOKEN, FRONTA_BACKUP_DIR, FRONTA_BACKUP_KEEP_DAYS, FRONTA_BACKUP_AT (HH:MM or off), FRONTA_PUBLIC_URL, LOG_LEVEL, FRONTA_KEY_FILE, FRONTA_DEMO=1, FRONTA_ALLOWED_ORIGINS, FRONTA_KIOSK_TOKEN (agent) (flags win).`;

const OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  data: { type: 'string' },
  database: { type: 'string' },
  'public-url': { type: 'string' },
  'log-level': { type: 'string' },
  demo: { type: 'boolean' },
  'allowed-origins': { type: 'string' },
  'metrics-from': { type: 'string' },
  'backup-dir': { type: 'string' },
  office: { type: 'string' },
  'office-name': { type: 'string' },
  'office-id': { type: 'string' },
  'time-zone': { type: 'string' },
  languages: { type: 'string' },
  'admin-username': { type: 'string' },
  'install-admin': { type: 'boolean' },
  username: { type: 'string' },
  password: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  kind: { type: 'string' },
  printer: { type: 'string' },
  'host-url': { type: 'string' },
  token: { type: 'string' },
  profile: { type: 'string' },
  baud: { type: 'string' },
  'heartbeat-ms': { type: 'string' },
  days: { type: 'string' },
  'key-file': { type: 'string' },
  to: { type: 'string' },
  from: { type: 'string' },
  'dry-run': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function need(value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UsageError(`missing --${flag}`);
  return value;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  const [command, sub, arg] = positionals;
  if (values.help === true || command === undefined) {
    process.stdout.write(USAGE + '\n');
    return command === undefined && values.help !== true ? 2 : 0;
  }
  if (command === 'agent') {
    // A kiosk PC's agent: no database, no web stack; `--port` is the printer's serial device here.
    const { runAgent } = await import('./agent.ts');
    const positive = (v: string | undefined, flag: string, fallback: number): number => {
      const n = Number(v ?? fallback);
      if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${flag} must be a positive integer`);
      return n;
    };
    try {
      await runAgent({
        hostUrl: need(values['host-url'], 'host-url'),
        token: values.token ?? process.env['FRONTA_KIOSK_TOKEN'] ?? need(undefined, 'token'),
        port: need(values.port, 'port'),
        profile: values.profile ?? 'epson-tm-t20',
        baudRate: positive(values.baud, 'baud', 9600),
        heartbeatMs: positive(values['heartbeat-ms'], 'heartbeat-ms', 5000),
      });
    } catch (err) {
      if (!(err instanceof UsageError)) throw err;
      process.stderr.write(`fronta: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    return -1;
  }
  const config = readConfig(values, process.env);
  if (command === 'serve') {
    // A key the host must not use stops it here, in one line, before anything starts.
    if (config.booking.secretKey === undefined) {
      try {
        const { warning } = resolveKeyFile(config.booking, config.dataDir);
        if (warning !== null) process.stderr.write(`fronta: warning: ${warning}\n`);
      } catch (err) {
        if (!(err instanceof KeyFileError)) throw err;
        process.stderr.write(`fronta: ${err.message}\n`);
        return 2;
      }
    }
    const refusal =
      config.database === null
        ? startRefusal(config.dataDir, config.booking)
        : await (await import('./start-checks.postgres.ts')).postgresStartRefusal(config.database, config.booking, config.dataDir);
    if (refusal !== null) {
      process.stderr.write(`fronta: ${refusal}\n`);
      return 2;
    }
    // Loaded only here: the other commands start fast without the web stack.
    const { serve } = await import('./serve.ts');
    await serve(config);
    return -1;
  }
  if (config.database !== null && (command === 'backup' || command === 'restore' || (command === 'office' && (sub === 'export' || sub === 'apply')))) {
    process.stderr.write(`fronta: ${command} ${command === 'office' ? `${sub} ` : ''}works on a data folder's SQLite file; on PostgreSQL use its own backups (pg_dump, a replica) and the back office or its API\n`);
    return 2;
  }
  if (command === 'backup' || command === 'restore') return backupCommand(command, { to: values.to, file: sub, config });
  if (command === 'store' && sub === 'copy') {
    // Loaded only here: the other commands do not load the PostgreSQL client.
    const { storeCopyCommand } = await import('./store-copy-cli.ts');
    return storeCopyCommand({ from: values.from, to: values.to });
  }
  // Opened by the commands that read data, and only if it is there: a mistyped --data must not
  // leave an empty database behind, nor end in a stack trace.
  const opened: { stores: Stores | null; db: Db | null } = { stores: null, db: null };
  const existing = async (): Promise<Stores> => (opened.stores ??= await openExistingStores(config.dataDir, config.database));
  try {
    if (command === 'init') {
      if (config.database === null) mkdirSync(config.dataDir, { recursive: true });
      opened.stores = await openStores(config.database === null ? { kind: 'sqlite', file: databaseFile(config.dataDir) } : { kind: 'postgres', url: config.database, poolMax: 2, applicationName: 'fronta cli' });
      process.stdout.write(await init(opened.stores, values, config.publicUrl));
    } else if (command === 'office' && sub === 'add') {
      process.stdout.write(await officeAdd(await existing(), values));
    } else if (command === 'users' && sub === 'add') {
      process.stdout.write(await usersAdd(await existing(), values));
    } else if (command === 'devices' && sub === 'add') {
      process.stdout.write(await devicesAdd(await existing(), values));
    } else if (command === 'devices' && sub === 'list') {
      process.stdout.write(await devicesList(await existing(), values));
    } else if (command === 'devices' && sub === 'revoke') {
      process.stdout.write(await devicesRevoke(await existing(), need(arg, 'device id')));
    } else if (command === 'office' && (sub === 'export' || sub === 'apply')) {
      // Loaded only here, as serve is: the other commands need neither YAML nor the configuration's schemas.
      const { runOfficeCommand } = await import('./office-file/data-folder.ts');
      const req =
        sub === 'export'
          ? ({ sub: 'export', officeId: values.office } as const)
          : ({ sub: 'apply', file: need(arg, 'office file'), officeId: values.office, dryRun: values['dry-run'] === true } as const);
      const { newWebhookSecret } = await import('./webhooks.ts');
      // The sealing key is read only when a file adds a webhook (its new secret is kept sealed).
      const secrets = () => ({ newSecret: newWebhookSecret, seal: (secret: string) => nodeKeyed(loadKeyMaterial(config.booking, config.dataDir)).seal(secret) });
      const options = { publicUrl: config.publicUrl, secrets };
      const result = await runOfficeCommand(req, { dataDir: config.dataDir, existing: () => (opened.db ??= openExistingSqlite(config.dataDir)), clock: systemClock, options });
      process.stdout.write(result.stdout);
      process.stderr.write(result.stderr);
      return result.code;
    } else if (command === 'retention' && sub === 'set') {
      const days = Number(need(values.days, 'days'));
      if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS) throw new UsageError(`--days must be a whole number, at least ${MIN_RETENTION_DAYS}`);
      const stores = await existing();
      const office = await officeOf(stores, values);
      // Through the settings API's own use case, so the change joins the office's settings history (via "cli").
      const bookings = stores.booking(nodeKeyed(loadKeyMaterial(config.booking, config.dataDir)));
      const changed = await stores.queue.run((store) =>
        changeBookingSettings(
          { store, bookings, retention: stores.retention, clock: systemClock },
          { officeId: office, userId: 'cli', via: 'cli', patch: { retentionDays: days } },
        ),
      );
      if (!changed.ok) throw new UsageError(`--days: ${changed.error.code}`);
      process.stdout.write(`office ${office}: personal data of bookings is deleted ${days} days after their day\n`);
    } else if (command === 'key' && sub === 'move') {
      const to = moveKey(config.dataDir, values.to ?? config.booking.keyFile);
      const flag = values.to === undefined || resolve(values.to) === config.booking.keyFile ? '' : ` (start the host with --key-file ${to} or FRONTA_KEY_FILE=${to})`;
      process.stdout.write(`moved the sealing key to ${to}${flag}; back it up apart from the data folder\n`);
    } else {
      throw new UsageError(`unknown command: ${positionals.join(' ')}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof NoDataError || err instanceof KeyFileError || (err instanceof Error && err.name === 'OfficeCommandError')) {
      process.stderr.write(`fronta: ${err.message}\n`);
      return 2;
    }
    if (err instanceof UsageError || err instanceof CliError) {
      process.stderr.write(`fronta: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  } finally {
    await opened.stores?.close();
    opened.db?.close();
  }
}

class NoDataError extends Error {}

/** The data folder's SQLite file (checked to be there), or a one-line explanation of why there is none. */
function openExistingDatabase(dataDir: string): string {
  const file = databaseFile(dataDir);
  if (!existsSync(file)) {
    throw new NoDataError(`no Fronta data in ${dataDir} (${existsSync(dataDir) ? 'no fronta.db there' : 'the folder does not exist'}); give the data folder with --data or FRONTA_DATA, or create it with fronta serve`);
  }
  return file;
}

function openExistingSqlite(dataDir: string): Db {
  const file = openExistingDatabase(dataDir);
  try {
    return openDatabase(file);
  } catch (e) {
    throw new NoDataError(`cannot open ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The stores of the data folder's file or of the PostgreSQL database, or a one-line explanation. */
async function openExistingStores(dataDir: string, database: string | null): Promise<Stores> {
  const location = database === null ? ({ kind: 'sqlite', file: openExistingDatabase(dataDir) } as const) : ({ kind: 'postgres', url: database, poolMax: 2, applicationName: 'fronta cli' } as const);
  try {
    return await openStores(location);
  } catch (e) {
    const where = location.kind === 'sqlite' ? location.file : (await import('./start-checks.postgres.ts')).redactUrl(location.url);
    throw new NoDataError(`cannot open ${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

