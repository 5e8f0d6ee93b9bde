import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { nodeKeyed } from '../host/crypto.ts';
import { officeGateway } from '../host/office-file/gateway.ts';
import { applyOfficeFile } from '../host/office-file/office-file.ts';
import { renderOfficeFile } from '../host/office-file/render.ts';
import { systemClock } from '../host/system.ts';
import { newWebhookSecret } from '../host/webhooks.ts';
import { openDatabase } from '../store/database.ts';
import { largeOfficeConfig, sampleOfficeFile } from '../test/helpers/office-config.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, spread } from './lib/stats.ts';

/**
 * `fronta office apply` of a 50-service, 40-counter office file on a real SQLite file
 * (synchronous=FULL, as the host runs it): the text parsed and checked against the schema, the
 * office read, diffed, validated and written as one change with its audit record. The file holds
 * every part (booking settings, templates, a webhook) besides the services and counters. Each
 * timed file changes every service's walk-in capacity (so every service row is written); the
 * office exists.
 */

const RUNS = 3;
const WARM_UP = 3;
const TIMED = 15;

async function run(): Promise<{ applyMs: number; createMs: number; unchangedMs: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-bench-office-file-'));
  const db = openDatabase(join(dir, 'fronta.db'));
  try {
    const keyed = nodeKeyed({ current: randomBytes(32), previous: [] });
    const gateway = officeGateway(db, systemClock, { publicUrl: 'https://fronta.example', secrets: () => ({ newSecret: newWebhookSecret, seal: (secret) => keyed.seal(secret) }) });
    const { booking, templates, webhooks } = sampleOfficeFile();
    const base = { ...largeOfficeConfig(50, 40), booking, templates, webhooks };
    const file = (capacity: number): string => renderOfficeFile({ ...base, services: base.services.map((s) => ({ ...s, dailyWalkInCapacity: capacity })) });
    const timed = async (text: string, expected: string): Promise<number> => {
      const t0 = performance.now();
      const outcome = await applyOfficeFile(gateway, { text, fileName: 'office.yaml', dryRun: false });
      const ms = performance.now() - t0;
      if (outcome.kind !== expected) throw new Error(`apply: ${outcome.kind} (${outcome.kind === 'refused' ? outcome.errors.join('; ') : ''})`);
      return ms;
    };
    const createMs = await timed(file(100), 'applied');
    const samples: number[] = [];
    for (let i = 0; i < WARM_UP + TIMED; i++) {
      const ms = await timed(file(101 + i), 'applied');
      if (i >= WARM_UP) samples.push(ms);
    }
    const unchangedMs = await timed(file(100 + WARM_UP + TIMED), 'unchanged');
    return { applyMs: median(samples), createMs, unchangedMs };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const scenario: Scenario = {
  name: 'config.office-file',
  description: 'fronta office apply of a 50-service, 40-counter office file that changes every service (goal < 500 ms)',
  async run() {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run());
    note(`apply (every service changed): ${spread(runs.map((r) => r.applyMs))} ms`);
    note(`apply creating the office: ${spread(runs.map((r) => r.createMs))} ms; the same file again (nothing to change): ${spread(runs.map((r) => r.unchangedMs))} ms`);
    figure('config.apply_file_ms', median(runs.map((r) => r.applyMs)), 'ms');
  },
};
