import { availableParallelism, loadavg } from 'node:os';
import type { Scenario } from './lib/scenario.ts';

/**
 * `npm run bench` runs every scenario; `npm run bench -- engine fanout` runs those named;
 * `npm run bench -- --list` lists them. stdout carries only `BENCH <name> <value> <unit>`
 * lines; context goes to stderr.
 *
 * The registry maps a name to a lazy import of `bench/<name>.bench.ts` (or a list of such
 * files), each exporting `scenario`. A new scenario is one file plus one line here.
 */
type Loader = () => Promise<{ scenario: Scenario }>;

/** A name may run several files in turn (`config`: the live path and the office file), each with its own figures. */
const SCENARIOS: Record<string, Loader | readonly Loader[]> = {
  config: [() => import('./config.bench.ts'), () => import('./office-file.bench.ts')],
  engine: () => import('./engine.bench.ts'),
  fees: () => import('./fees.bench.ts'),
  fanout: () => import('./fanout.bench.ts'),
  print: () => import('./print.bench.ts'),
  pages: () => import('./pages.bench.ts'),
  rush: () => import('./rush.bench.ts'),
  start: () => import('./start.bench.ts'),
  stats: () => import('./stats.bench.ts'),
};

/**
 * `--store sqlite|postgres` and `--hosts N` (the scenarios that read them: rush, engine) are
 * handed over as BENCH_STORE and BENCH_HOSTS; what is left are scenario names.
 */
function takeOptions(args: readonly string[]): string[] {
  const rest: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i]!;
    const [flag, inline] = a.split('=', 2) as [string, string | undefined];
    if (flag === '--store' || flag === '--hosts') {
      const value = inline ?? args[++i];
      if (value === undefined) throw new Error(`${flag} needs a value`);
      if (flag === '--store' && value !== 'sqlite' && value !== 'postgres') throw new Error(`--store is sqlite or postgres, not ${value}`);
      if (flag === '--hosts' && !(Number.isInteger(Number(value)) && Number(value) >= 1)) throw new Error(`--hosts is a whole number ≥ 1, not ${value}`);
      process.env[flag === '--store' ? 'BENCH_STORE' : 'BENCH_HOSTS'] = value;
    } else rest.push(a);
  }
  if (process.env['BENCH_STORE'] !== 'postgres' && Number(process.env['BENCH_HOSTS'] ?? 1) > 1) throw new Error('several hosts share one PostgreSQL: --hosts N needs --store postgres');
  return rest;
}

async function main(all: readonly string[]): Promise<void> {
  const args = takeOptions(all);
  if (args.includes('--list')) {
    for (const name of Object.keys(SCENARIOS)) {
      for (const { scenario } of await loadScenarios(name)) process.stderr.write(`${name}: ${scenario.description}\n`);
    }
    return;
  }
  const wanted = args.length === 0 ? Object.keys(SCENARIOS) : [...args];
  const unknown = wanted.filter((n) => !(n in SCENARIOS));
  if (unknown.length > 0) {
    process.stderr.write(`unknown scenario(s): ${unknown.join(', ')}; known: ${Object.keys(SCENARIOS).join(', ')}\n`);
    process.exit(2);
  }
  // Benchmarks on a shared machine: say how busy it was, so odd figures can be judged.
  const load = loadavg().map((l) => l.toFixed(2)).join(' ');
  process.stderr.write(`# node ${process.version}, ${availableParallelism()} cores, load average ${load}\n`);
  for (const name of wanted) {
    for (const { scenario } of await loadScenarios(name)) {
      const t0 = Date.now();
      process.stderr.write(`# ${scenario.name}: ${scenario.description}\n`);
      await scenario.run();
      process.stderr.write(`# ${scenario.name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s; load average ${loadavg()[0]!.toFixed(2)}\n`);
    }
  }
}

async function loadScenarios(name: string): Promise<{ scenario: Scenario }[]> {
  const entry = SCENARIOS[name]!;
  return Promise.all((typeof entry === 'function' ? [entry] : entry).map((l) => l()));
}

main(process.argv.slice(2)).then(
  // Servers, sockets and timers are closed by the scenarios; exit anyway so a stray handle
  // cannot keep `npm run bench` hanging (stdout is synchronous for files and pipes on Linux).
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
