import { appendFileSync } from 'node:fs';

/**
 * The reliability suite's figures: one `RELIABILITY <part> …` line per part, printed by the test
 * and, when `npm run test:reliability` runs it (FRONTA_RELIABILITY_REPORT names a file), collected
 * for the summary that command prints at the end.
 */

/** `npm run test:reliability` runs the parts at full size; `npm test` at CI size. */
export const FULL_SIZE = process.env['FRONTA_RELIABILITY'] === 'full';

export interface PartFigures {
  part: string;
  /** The store the host ran on, for a part that runs on both (printed right after the part's name). */
  store?: 'sqlite' | 'postgres';
  /** Requests (or scenarios) run. */
  runs: number;
  /** Faults injected. */
  faults: number;
  /** Acknowledged writes checked afterwards. */
  ackedChecked: number;
  lost: number;
  duplicates: number;
  /** Answers of 500 and above that are not the documented refusal of the part. */
  fiveXx: number;
  /** Further figures, printed as key=value after the fixed ones. */
  extra?: Record<string, string | number>;
}

export function report(f: PartFigures): string {
  const extra = Object.entries(f.extra ?? {}).map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : v}`);
  const line = [`RELIABILITY ${f.part}`, ...(f.store === undefined ? [] : [`store=${f.store}`]), `runs=${f.runs}`, `faults=${f.faults}`, `acked_checked=${f.ackedChecked}`, `lost=${f.lost}`, `duplicates=${f.duplicates}`, `5xx=${f.fiveXx}`, ...extra].join(' ');
  process.stdout.write(`${line}\n`);
  const file = process.env['FRONTA_RELIABILITY_REPORT'];
  if (file !== undefined && file !== '') appendFileSync(file, `${line}\n`);
  return line;
}

/** Runs `count` tasks with at most `width` at once. */
export async function pool(count: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
