import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { msUntil } from '../host/backup-schedule.ts';
import { pruneBackups } from '../host/backup.ts';
import { REPO_ROOT, killChildHosts, readDemoCredentials, startChildHost, stopChildHost } from './helpers/child-host.ts';

/**
 * A backup taken while a kiosk issues tickets as fast as the host answers is a sound database that
 * holds every ticket answered before the backup began; `restore` refuses while the host runs and
 * puts the backup in place once it is stopped. The real CLI against a real host process.
 */

const run = promisify(execFile);
const folders: string[] = [];
const folder = (name: string): string => {
  const dir = mkdtempSync(join(tmpdir(), `fronta-${name}-`));
  folders.push(dir);
  return dir;
};
afterEach(async () => {
  await killChildHosts();
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function fronta(args: string[]): Promise<{ code: number; out: string }> {
  const env = { ...process.env, FRONTA_FROM_SOURCE: '1' };
  try {
    const { stdout, stderr } = await run(process.execPath, [join(REPO_ROOT, 'bin', 'fronta.js'), ...args], { cwd: REPO_ROOT, env });
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

const ticketIds = (file: string): Set<string> => {
  const db = new Database(file, { readonly: true });
  try {
    return new Set((db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id));
  } finally {
    db.close();
  }
};

describe('online backup and restore (real host process)', () => {
  it('backs up under full load with every acknowledged ticket, and restores only when the host is stopped', { timeout: 120_000 }, async () => {
    const data = folder('backup-data');
    const backups = folder('backup-to');
    const host = await startChildHost(data, 60_000);
    const creds = readDemoCredentials(data);
    const officeId = ((await (await fetch(`${host.url}/api/v1/offices`)).json()) as { offices: { id: string }[] }).offices[0]!.id;
    const services = ((await (await fetch(`${host.url}/api/v1/offices/${officeId}/services`)).json()) as { services: { id: string; isOpen: boolean }[] }).services
      .filter((s) => s.isOpen)
      .map((s) => s.id);

    // A kiosk issuing with 8 requests in flight until told to stop.
    const answered: { id: string; at: number }[] = [];
    let stop = false;
    let n = 0;
    const issuer = async (): Promise<void> => {
      while (!stop) {
        const res = await fetch(`${host.url}/api/v1/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${creds.kioskToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ serviceId: services[n++ % services.length] }),
        });
        const body = (await res.json()) as { ticket?: { id: string } };
        if (res.status === 201) answered.push({ id: body.ticket!.id, at: Date.now() });
        else if (res.status !== 409) throw new Error(`issue answered ${res.status}: ${JSON.stringify(body)}`);
      }
    };
    const issuing = Promise.all(Array.from({ length: 8 }, issuer));
    while (answered.length < 60) await new Promise((r) => setTimeout(r, 20));

    const began = Date.now();
    const before = answered.filter((a) => a.at < began).map((a) => a.id);
    const backup = await fronta(['backup', '--data', data, '--to', backups]);
    const duringBackup = answered.length - before.length;
    stop = true;
    await issuing;
    expect(backup.code, backup.out).toBe(0);
    expect(backup.out).toMatch(/integrity checked/);
    expect(backup.out, 'the key is named as not included').toMatch(/sealing key is not in it/);
    expect(duringBackup, 'the host kept issuing while the backup ran').toBeGreaterThan(0);

    const files = readdirSync(backups).filter((f) => f.endsWith('.db'));
    expect(files).toHaveLength(1);
    const file = join(backups, files[0]!);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    const inBackup = ticketIds(file);
    const missing = before.filter((id) => !inBackup.has(id));
    expect(missing, `${before.length} answered before the backup began`).toEqual([]);

    // The host runs: restoring under it is refused, and nothing is touched.
    const refused = await fronta(['restore', file, '--data', data]);
    expect(refused.code).toBe(2);
    expect(refused.out).toMatch(/a host is running on .* stop it first/);
    expect(ticketIds(join(data, 'fronta.db')).size).toBe(answered.length);

    // Stopped: the backup replaces the database; the replaced one is kept aside.
    await stopChildHost(host, 'SIGTERM');
    const restored = await fronta(['restore', file, '--data', data]);
    expect(restored.code, restored.out).toBe(0);
    expect(ticketIds(join(data, 'fronta.db'))).toEqual(inBackup);
    const kept = readdirSync(data).find((f) => f.startsWith('before-restore-'));
    expect(kept, restored.out).toBeDefined();
    expect(ticketIds(join(data, kept!, 'fronta.db')).size).toBe(answered.length);

    // And the restored folder serves again.
    const again = await startChildHost(data, 60_000);
    expect((await fetch(`${again.url}/api/health`)).status).toBe(200);
  });

  it('refuses to restore a file that is not a sound database, changing nothing', async () => {
    const data = folder('restore-bad');
    const bad = join(data, 'not-a-backup.db');
    writeFileSync(bad, 'this is not SQLite');
    const r = await fronta(['restore', bad, '--data', data]);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/not a sound database/);
    expect(existsSync(join(data, 'fronta.db'))).toBe(false);
  });

  it('keeps the nightly backups of the retention period and always the newest', () => {
    const dir = folder('prune');
    const now = Date.UTC(2026, 11, 3, 3, 0);
    const names = ['fronta-20261101T023000Z.db', 'fronta-20261125T023000Z.db', 'fronta-20261202T023000Z.db', 'unrelated.txt'];
    const ages = [32, 8, 1, 40];
    names.forEach((name, i) => {
      writeFileSync(join(dir, name), 'x');
      const t = (now - ages[i]! * 86_400_000) / 1000;
      utimesSync(join(dir, name), t, t);
    });
    expect(pruneBackups(dir, 14, now)).toEqual(['fronta-20261101T023000Z.db']);
    expect(readdirSync(dir).sort()).toEqual(['fronta-20261125T023000Z.db', 'fronta-20261202T023000Z.db', 'unrelated.txt']);
    // Even past the retention period, the newest backup stays.
    expect(pruneBackups(dir, 0, now + 30 * 86_400_000)).toEqual(['fronta-20261125T023000Z.db']);
  });

  it('schedules the next backup at the next local time of day', () => {
    const now = new Date(2026, 11, 3, 1, 0, 0);
    expect(msUntil('02:30', now)).toBe(90 * 60_000);
    expect(msUntil('00:30', now)).toBe(23.5 * 3_600_000);
  });
});
