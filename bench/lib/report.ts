/**
 * Output of the benchmarks. stdout carries only figures, one line each:
 * `BENCH <name> <value> <unit>`, so a script can grep and compare them; everything a human
 * wants to read (settings, spreads, error counts) goes to stderr.
 */

/** Rounds to about three significant digits, never more than three decimals. */
export function roundSensibly(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 100) return String(Math.round(value));
  if (abs >= 10) return value.toFixed(1);
  if (abs >= 1) return value.toFixed(2);
  return value.toFixed(3);
}

export function figure(name: string, value: number, unit: string, decimals?: number): void {
  const text = decimals === undefined ? roundSensibly(value) : value.toFixed(decimals);
  process.stdout.write(`BENCH ${name} ${text} ${unit}\n`);
}

export function note(message: string): void {
  process.stderr.write(`  ${message}\n`);
}
