import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * HTTP load through autocannon, run in a child process: on a 2-core machine an in-process
 * client would share the server's event loop and measure the client as much as the server.
 * In a child, the server has one core and autocannon the other (the OS decides, but neither
 * waits for the other's JavaScript). The child (load-client.ts) receives a plan over IPC and
 * answers with a summary.
 */

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface LoadPlan {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /**
   * Several hosts instead: the connections split evenly across these, as a load balancer would
   * (one autocannon per host, run together); the summary adds their counts up and keeps the worst
   * of their latency percentiles.
   */
  urls?: readonly string[];
  connections: number;
  durationS: number;
  /** A short run first, not counted (JIT, connection set-up, SQLite page cache). */
  warmupS: number;
  /** The request sequence of each connection; connection j gets `sequences[j % sequences.length]`, looped. */
  sequences: readonly (readonly LoadRequest[])[];
}

export interface LoadSummary {
  twoXx: number;
  non2xx: number;
  /** Measured duration in seconds (autocannon's own clock). */
  durationS: number;
  /** Status code → count. */
  statusCodes: Record<string, number>;
  errors: number;
  timeouts: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

const CLIENT = fileURLToPath(new URL('./load-client.ts', import.meta.url));

export function runLoad(plan: LoadPlan): Promise<LoadSummary> {
  return new Promise((resolve, reject) => {
    // The child's stdout goes to our stderr: stdout carries BENCH lines only.
    const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let summary: LoadSummary | null = null;
    child.on('message', (m) => {
      summary = m as LoadSummary;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (summary !== null) resolve(summary);
      else reject(new Error(`load client exited with code ${String(code)} and no summary`));
    });
    child.send(plan);
  });
}
