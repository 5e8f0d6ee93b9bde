// `npm run test:reliability`: every part of the reliability suite at full size, one file at a time,
// then the one `RELIABILITY <part> …` line of each part again, together, for the README.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'fronta-reliability-'));
const file = join(dir, 'report.txt');
const run = spawnSync('npx', ['vitest', 'run', 'test/reliability', '--maxWorkers', '1', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, FRONTA_RELIABILITY: 'full', FRONTA_RELIABILITY_REPORT: file, FRONTA_FROM_SOURCE: '1' },
});
let lines = '';
try {
  lines = readFileSync(file, 'utf8');
} catch {
  // no part reported
}
rmSync(dir, { recursive: true, force: true });
process.stdout.write(`\nReliability suite (${new Date().toISOString().slice(0, 10)}):\n${lines}`);
process.exit(run.status ?? 1);
