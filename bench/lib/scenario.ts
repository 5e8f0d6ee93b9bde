/** A named benchmark scenario; `bench/run.ts` keeps the registry. */
export interface Scenario {
  name: string;
  /** One line for `npm run bench -- --list` and the stderr header. */
  description: string;
  /** Prints its figures through `figure()` (stdout) and context through `note()` (stderr). */
  run(): Promise<void>;
}
