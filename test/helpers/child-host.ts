import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCredentials, type DemoCredentials } from '../../host/seed-demo.ts';

/** The repository root (this file is test/helpers/child-host.ts). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ChildHost {
  /** `http://127.0.0.1:<port>` as printed by the host. */
  url: string;
  proc: ChildProcess;
  /** Everything the host wrote so far (stdout and stderr), for failure messages. */
  output(): string;
  /** Resolves once the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Hosts started by this helper and not yet exited: `killChildHosts` ends exactly these. */
const live = new Set<ChildProcess>();

/**
 * Runs `fronta serve --demo --port 0 --data <dataDir>` as a child process (the real CLI: tsx, SQLite
 * file, group commit) and waits for the "listening on http://…" line and a first answered request.
 * `extraArgs` adds options, e.g. `['--database', url]` for a host on PostgreSQL.
 */
export async function startChildHost(dataDir: string, timeoutMs = 20_000, extraArgs: readonly string[] = [], extraEnv: Record<string, string> = {}): Promise<ChildHost> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['PORT', 'HOST', 'FRONTA_DATA', 'FRONTA_PUBLIC_URL', 'LOG_LEVEL']) delete env[name];
  Object.assign(env, extraEnv);
  const proc = spawn(
    process.execPath,
    [join(REPO_ROOT, 'bin', 'fronta.js'), 'serve', '--demo', '--host', '127.0.0.1', '--port', '0', '--data', dataDir, '--log-level', 'warn', ...extraArgs],
    { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  live.add(proc);
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.once('exit', (code, signal) => {
      live.delete(proc);
      resolve({ code, signal });
    });
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`host did not start within ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (): void => {
      const m = /listening on (http:\/\/[^\s)]+)/.exec(out);
      if (m === null) return;
      clearTimeout(timer);
      proc.stdout.off('data', onData);
      resolve(m[1]!);
    };
    proc.stdout.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`host exited (code ${code}, signal ${signal}) before listening:\n${out}`));
    });
  });
  // The banner is printed before `serve` installs its SIGTERM handler; once a request has been
  // answered the event loop has turned, so the handler is in place and a SIGTERM is graceful.
  const health = await fetch(`${url}/api/health`);
  if (health.status !== 200) throw new Error(`host not healthy: ${health.status} ${await health.text()}\n${out}`);
  return { url, proc, output: () => out, exited };
}

/** Sends `signal` and waits for the exit. */
export async function stopChildHost(host: ChildHost, signal: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (host.proc.exitCode === null && host.proc.signalCode === null) host.proc.kill(signal);
  return host.exited;
}

/** SIGKILLs every host this helper started that is still running (for afterEach). */
export async function killChildHosts(): Promise<void> {
  const waits = [...live].map(
    (proc) =>
      new Promise<void>((resolve) => {
        proc.once('exit', () => resolve());
        proc.kill('SIGKILL');
      }),
  );
  await Promise.all(waits);
}

export type { DemoCredentials };

/** Reads `<data>/demo-credentials.txt`, written by the first run (parsed by the code that wrote it). */
export function readDemoCredentials(dataDir: string): DemoCredentials {
  return parseCredentials(readFileSync(join(dataDir, 'demo-credentials.txt'), 'utf8'));
}
