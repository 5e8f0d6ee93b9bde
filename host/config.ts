import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { NightlyBackups } from './backup-schedule.ts';
import { DEFAULT_METRICS_ALLOW, metricsBlockList } from '../server/metrics.ts';
import { parseFakeClock } from './test-clock.ts';

/** The one place that reads the environment. Flags win over variables, variables over defaults. */
export interface HostConfig {
  host: string;
  port: number;
  /** Folder holding the SQLite database (and demo credentials, the voice cache). */
  dataDir: string;
  /**
   * A city's PostgreSQL (`--database postgres://…`, FRONTA_DATABASE_URL) that several hosts share;
   * null = the SQLite file in the data folder (the embedded default).
   */
  database: string | null;
  /** Address printed in links and QR codes. */
  publicUrl: string;
  logLevel: string;
  secureCookies: boolean;
  booking: BookingConfig;
  /**
   * Tests only (FRONTA_FAKE_CLOCK): the host's clock starts at this instant and stands still until
   * a loopback caller moves it (`POST /test/clock`); null (unset) = the system clock.
   */
  fakeClockAt: number | null;
  /**
   * `fronta serve --demo` (or FRONTA_DEMO=1): seed the demo office into an empty data folder and
   * serve the /demo/* pages (mail and SMS sinks, virtual printers). Off, no /demo/* route exists.
   */
  demo: boolean;
  /**
   * Origins besides the request's own Host (and the public URL's origin) from which a
   * cookie-authenticated browser may change state (`--allowed-origins`, FRONTA_ALLOWED_ORIGINS).
   */
  allowedOrigins: string[];
  /** Who may read `/metrics`: addresses and ranges (`--metrics-from`, FRONTA_METRICS_FROM; default loopback), and an optional bearer token (FRONTA_METRICS_TOKEN). */
  metrics: { allow: string[]; token?: string };
  /** Online fees: the payment provider (FRONTA_PAY_*); the demo runs the payment simulator when none is set. */
  payments: PaymentConfig;
  /** Nightly backups of the database (FRONTA_BACKUP_DIR, FRONTA_BACKUP_KEEP_DAYS, FRONTA_BACKUP_AT); `--no-backups` / FRONTA_BACKUP_AT=off: none. */
  backups: NightlyBackups | null;
  /**
   * Webhooks may target loopback addresses, over plain HTTP too (FRONTA_WEBHOOKS_ALLOW_LOOPBACK=1,
   * and always with --demo): for tests and demos, where the receiver runs on the same machine.
   */
  webhookLoopback: boolean;
}

/**
 * Online booking's secrets and message delivery. Without FRONTA_SECRET_KEY the key is read from
 * `keyFile` (created 0600 on first run), never from the data folder by default: a copy of the data
 * must not carry the key that opens its contacts. Without an SMTP or SMPP address the host runs its
 * own sinks (a real SMTP and SMPP server on loopback) and shows what arrived at /demo/messages.
 */
export interface BookingConfig {
  secretKey: string | undefined;
  /**
   * The sealing key's file: `--key-file` / FRONTA_KEY_FILE; else the systemd credential
   * `$CREDENTIALS_DIRECTORY/fronta.key` when the service passes one; else the user's
   * `$XDG_CONFIG_HOME/fronta/secret.key` (`~/.config/fronta/secret.key`).
   */
  keyFile: string;
  /** Set explicitly (flag, variable or credential), not the per-user default. */
  keyFileConfigured: boolean;
  /** Old master keys still accepted for reading sealed data (comma-separated hex/base64). */
  previousKeys: string[];
  smtpUrl: string | null;
  mailFrom: string;
  smppUrl: string | null;
  smppSystemId: string;
  smppPassword: string;
  smsFrom: string;
  /** Behind a reverse proxy: rate limits key on X-Forwarded-For. */
  trustProxy: boolean;
}

export function readBookingConfig(env: NodeJS.ProcessEnv, keyFileFlag?: string): BookingConfig {
  const nonEmpty = (v: string | undefined): string | null => (v === undefined || v.trim() === '' ? null : v.trim());
  const credentials = nonEmpty(env['CREDENTIALS_DIRECTORY']);
  const credential = credentials === null ? null : join(credentials, 'fronta.key');
  const explicit = nonEmpty(keyFileFlag) ?? nonEmpty(env['FRONTA_KEY_FILE']) ?? (credential !== null && existsSync(credential) ? credential : null);
  return {
    secretKey: nonEmpty(env['FRONTA_SECRET_KEY']) ?? undefined,
    keyFile: resolve(explicit ?? join(nonEmpty(env['XDG_CONFIG_HOME']) ?? join(homedir(), '.config'), 'fronta', 'secret.key')),
    keyFileConfigured: explicit !== null,
    previousKeys: (env['FRONTA_PREVIOUS_SECRET_KEYS'] ?? '').split(',').map((k) => k.trim()).filter((k) => k !== ''),
    smtpUrl: nonEmpty(env['FRONTA_SMTP_URL']),
    mailFrom: nonEmpty(env['FRONTA_MAIL_FROM']) ?? 'Fronta <noreply@fronta.invalid>',
    smppUrl: nonEmpty(env['FRONTA_SMPP_URL']),
    smppSystemId: nonEmpty(env['FRONTA_SMPP_SYSTEM_ID']) ?? 'fronta',
    smppPassword: nonEmpty(env['FRONTA_SMPP_PASSWORD']) ?? 'fronta',
    smsFrom: nonEmpty(env['FRONTA_SMS_FROM']) ?? 'Fronta',
    trustProxy: env['FRONTA_TRUST_PROXY'] === '1' || env['FRONTA_TRUST_PROXY'] === 'true',
  };
}

export type ConfigFlags = Partial<Record<'host' | 'port' | 'data' | 'database' | 'public-url' | 'log-level' | 'allowed-origins' | 'key-file' | 'metrics-from' | 'backup-dir', string>> & { demo?: boolean };

/** `http://a.example:8080, https://b.example` → normalised origins; a value that is no origin is an error. */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((o) => o.trim())
    .filter((o) => o !== '')
    .map((o) => {
      let url: URL;
      try {
        url = new URL(o);
      } catch {
        throw new Error(`allowed origins: not an origin: ${o}`);
      }
      if (url.origin === 'null' || (url.pathname !== '/' && url.pathname !== '')) throw new Error(`allowed origins: not an origin: ${o}`);
      return url.origin;
    });
}

export function readConfig(flags: ConfigFlags, env: NodeJS.ProcessEnv): HostConfig {
  const host = flags.host ?? env['HOST'] ?? '127.0.0.1';
  const port = Number(flags.port ?? env['PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${flags.port ?? env['PORT']}`);
  const publicUrl = (flags['public-url'] ?? env['FRONTA_PUBLIC_URL'] ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  return {
    host,
    port,
    dataDir: resolve(flags.data ?? env['FRONTA_DATA'] ?? 'data'),
    database: readDatabase(flags.database ?? env['FRONTA_DATABASE_URL']),
    publicUrl,
    logLevel: flags['log-level'] ?? env['LOG_LEVEL'] ?? 'info',
    secureCookies: publicUrl.startsWith('https://'),
    booking: readBookingConfig(env, flags['key-file']),
    fakeClockAt: env['FRONTA_FAKE_CLOCK'] === undefined || env['FRONTA_FAKE_CLOCK'] === '' ? null : parseFakeClock(env['FRONTA_FAKE_CLOCK']),
    demo: flags.demo ?? (env['FRONTA_DEMO'] === '1' || env['FRONTA_DEMO'] === 'true'),
    allowedOrigins: parseOrigins(flags['allowed-origins'] ?? env['FRONTA_ALLOWED_ORIGINS'] ?? ''),
    metrics: readMetrics(flags['metrics-from'] ?? env['FRONTA_METRICS_FROM'], env['FRONTA_METRICS_TOKEN']),
    payments: readPaymentConfig(env),
    webhookLoopback: env['FRONTA_WEBHOOKS_ALLOW_LOOPBACK'] === '1' || (flags.demo ?? (env['FRONTA_DEMO'] === '1' || env['FRONTA_DEMO'] === 'true')),
    backups: readBackups(flags['backup-dir'] ?? env['FRONTA_BACKUP_DIR'], env, resolve(flags.data ?? env['FRONTA_DATA'] ?? 'data')),
  };
}

/**
 * A GOV.UK Pay-compatible provider: FRONTA_PAY_URL (`https://publicapi.payments.service.gov.uk`),
 * FRONTA_PAY_API_KEY, FRONTA_PAY_WEBHOOK_SECRET, FRONTA_PAY_TIMEOUT_MS (default 10 s).
 */
export interface PaymentConfig {
  url: string | null;
  apiKey: string;
  webhookSecret: string;
  timeoutMs: number;
}

export function readPaymentConfig(env: NodeJS.ProcessEnv): PaymentConfig {
  const url = env['FRONTA_PAY_URL']?.trim() ?? '';
  const timeoutMs = Number(env['FRONTA_PAY_TIMEOUT_MS'] ?? 10_000);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100) throw new Error('FRONTA_PAY_TIMEOUT_MS: whole milliseconds, at least 100');
  if (url !== '' && (env['FRONTA_PAY_API_KEY'] ?? '').trim() === '') throw new Error('FRONTA_PAY_URL is set without FRONTA_PAY_API_KEY');
  return { url: url === '' ? null : url.replace(/\/+$/, ''), apiKey: (env['FRONTA_PAY_API_KEY'] ?? '').trim(), webhookSecret: (env['FRONTA_PAY_WEBHOOK_SECRET'] ?? '').trim(), timeoutMs };
}

function readDatabase(url: string | undefined): string | null {
  if (url === undefined || url.trim() === '') return null;
  // Not store/postgres/pool.ts's check: reading the configuration must not load the PostgreSQL client.
  if (!/^postgres(ql)?:\/\//.test(url.trim())) throw new Error(`--database / FRONTA_DATABASE_URL: not a PostgreSQL URL (postgres://user@host:port/database)`);
  return url.trim();
}

function readMetrics(from: string | undefined, token: string | undefined): HostConfig['metrics'] {
  const allow = from === undefined || from.trim() === '' ? [...DEFAULT_METRICS_ALLOW] : from.split(',').map((a) => a.trim()).filter((a) => a !== '');
  metricsBlockList(allow); // a typo in a range stops the host here, not at the first scrape
  return token === undefined || token.trim() === '' ? { allow } : { allow, token: token.trim() };
}

function readBackups(dir: string | undefined, env: NodeJS.ProcessEnv, dataDir: string): NightlyBackups | null {
  const at = (env['FRONTA_BACKUP_AT'] ?? '02:30').trim();
  if (at === 'off') return null;
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(at)) throw new Error(`FRONTA_BACKUP_AT: not a time of day (HH:MM) or off: ${at}`);
  const keepDays = Number(env['FRONTA_BACKUP_KEEP_DAYS'] ?? 14);
  if (!Number.isInteger(keepDays) || keepDays < 1) throw new Error(`FRONTA_BACKUP_KEEP_DAYS: a whole number of days, at least 1`);
  return { dir: resolve(dir ?? join(dataDir, 'backups')), keepDays, at };
}
