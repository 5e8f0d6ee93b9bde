import { resolve } from 'node:path';

/** The one place that reads the environment. Flags win over variables, variables over defaults. */
export interface HostConfig {
  host: string;
  port: number;
  /** Folder holding the SQLite database (and demo credentials). */
  dataDir: string;
  /** Address printed in links and QR codes. */
  publicUrl: string;
  logLevel: string;
  secureCookies: boolean;
}

export function readConfig(flags: Partial<Record<'host' | 'port' | 'data' | 'public-url' | 'log-level', string>>, env: NodeJS.ProcessEnv): HostConfig {
  const host = flags.host ?? env['HOST'] ?? '127.0.0.1';
  const port = Number(flags.port ?? env['PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${flags.port ?? env['PORT']}`);
  const publicUrl = (flags['public-url'] ?? env['FRONTA_PUBLIC_URL'] ?? `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`).replace(/\/+$/, '');
  return {
    host,
    port,
    dataDir: resolve(flags.data ?? env['FRONTA_DATA'] ?? 'data'),
    publicUrl,
    logLevel: flags['log-level'] ?? env['LOG_LEVEL'] ?? 'info',
    secureCookies: publicUrl.startsWith('https://'),
  };
}
