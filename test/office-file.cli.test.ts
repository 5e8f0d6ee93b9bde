import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderOfficeFile } from '../host/office-file/render.ts';
import { sampleOfficeFile } from './helpers/office-config.ts';

const BIN = join(import.meta.dirname, '..', 'bin', 'fronta.js');

/** The sealing key of these installs (a file's new webhook secret is sealed with it), not the user's own. */
const KEY_FILE = join(mkdtempSync(join(tmpdir(), 'fronta-office-file-key-')), 'secret.key');

function fronta(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', dataDir], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, FRONTA_KEY_FILE: KEY_FILE } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const folder = (): string => mkdtempSync(join(tmpdir(), 'fronta-office-file-'));

// Each case starts the command line six times or so (a second or two each on a quiet machine).
describe('fronta office export | apply', { timeout: 120_000 }, () => {
  it('an office kept as a file: applied to an empty folder, exported, applied to another empty folder, exported the same', () => {
    const work = folder();
    const file = join(work, 'office.yaml');
    writeFileSync(file, renderOfficeFile(sampleOfficeFile()));

    const first = folder();
    const dry = fronta(first, 'office', 'apply', file, '--dry-run');
    expect(dry.code, dry.err).toBe(0);
    expect(dry.out).toMatch(/^office kostelec: .*dry run, nothing changed/);
    expect(readdirSync(first)).toEqual([]);

    const applied = fronta(first, 'office', 'apply', file);
    expect(applied.code, applied.err).toBe(0);
    expect(applied.out).toMatch(/^office kostelec: \d+ changes applied/);
    // The file's webhook gets a secret of its own, printed this once.
    expect(applied.out).toMatch(/\nwebhook wh-erp: signing secret whsec_[\w-]{43} \(shown this once/);
    const again = fronta(first, 'office', 'apply', file);
    expect([again.code, again.out]).toEqual([0, 'office kostelec: the file matches the office, nothing to change\n']);

    const exported = fronta(first, 'office', 'export', '--office', 'kostelec');
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toMatch(/^# Fronta office file/);
    const copy = join(work, 'exported.yaml');
    writeFileSync(copy, exported.out);
    const second = folder();
    const copied = fronta(second, 'office', 'apply', copy);
    expect(copied.code, copied.err).toBe(0);
    // Another install, another secret: the file carries none.
    expect(/whsec_[\w-]+/.exec(copied.out)?.[0]).not.toBe(/whsec_[\w-]+/.exec(applied.out)?.[0]);
    // One office in the install: --office may be left out.
    expect(fronta(second, 'office', 'export').out).toBe(exported.out);
  });

  it('a dry run of a changed file prints the difference; a file with a mistake is refused at its line, exit 1', () => {
    const work = folder();
    const data = folder();
    const file = join(work, 'office.yaml');
    const text = renderOfficeFile(sampleOfficeFile());
    writeFileSync(file, text);
    expect(fronta(data, 'office', 'apply', file).code).toBe(0);

    writeFileSync(file, text.replace('dailyWalkInCapacity: 100 #', 'dailyWalkInCapacity: 150 #').replace('retentionDays: 60 #', 'retentionDays: 90 #'));
    const dry = fronta(data, 'office', 'apply', file, '--dry-run');
    expect(dry.out).toContain('services (1 changed)\n  ~ services[cashier].dailyWalkInCapacity: 100 → 150\n');
    expect(dry.out).toContain('booking (1 changed)\n  ~ booking.retentionDays: 60 → 90\n');
    expect(fronta(data, 'office', 'export', '--office', 'kostelec').out).toBe(text);

    const bad = text.replace('prefix: V', 'prefix: v1');
    writeFileSync(file, bad);
    const refused = fronta(data, 'office', 'apply', file);
    const line = bad.split('\n').findIndex((l) => l.includes('prefix: v1')) + 1;
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${file}:${line} services[2].prefix: 1 to 3 capital letters\n`);
    expect(refused.err).toContain('refused, nothing changed');
    expect(refused.out).toBe('');
  });
});
