/**
 * Test helpers: a pty pair made by socat stands in for the serial cable. Not used in production.
 * `raw,echo=0` on both ends, or the line echoes and rewrites bytes (see shared NOTES).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PtyPair {
  /** Where the SerialPrinter opens (the host side of the cable). */
  readonly hostPath: string;
  /** Where the VirtualPrinter opens. */
  readonly printerPath: string;
  /** Kills socat (SIGKILL, like pulling a USB adapter): both ends vanish. */
  unplug(): Promise<void>;
  /** Starts socat again with the same link names: new pty devices behind the old paths. */
  plugIn(): Promise<void>;
  /** Kills socat if running and removes the temporary directory. */
  dispose(): Promise<void>;
}

const READY_LINE = 'starting data transfer loop';

export async function createPtyPair(readyTimeoutMs = 3000): Promise<PtyPair> {
  const dir = await mkdtemp(join(tmpdir(), 'fronta-pty-'));
  const hostPath = join(dir, 'host');
  const printerPath = join(dir, 'printer');
  let socat: ChildProcess | null = null;

  const start = async (): Promise<void> => {
    // A SIGKILLed socat leaves its links behind, and socat will not replace them.
    await rm(hostPath, { force: true });
    await rm(printerPath, { force: true });
    socat = await startSocat(hostPath, printerPath, readyTimeoutMs);
  };
  const stop = async (): Promise<void> => {
    const child = socat;
    socat = null;
    if (child === null || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  };

  try {
    await start();
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    hostPath,
    printerPath,
    unplug: stop,
    plugIn: start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function startSocat(hostPath: string, printerPath: string, readyTimeoutMs: number): Promise<ChildProcess> {
  const child = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${hostPath}`, `pty,raw,echo=0,link=${printerPath}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    const fail = (error: Error): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    const timer = setTimeout(() => fail(new Error(`socat not ready after ${readyTimeoutMs} ms: ${stderr}`)), readyTimeoutMs);
    child.once('error', (error) => fail(error));
    child.once('exit', (code) => fail(new Error(`socat exited with ${String(code)}: ${stderr}`)));
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.includes(READY_LINE)) {
        clearTimeout(timer);
        child.removeAllListeners('exit');
        // Keep draining stderr so socat never blocks on a full pipe.
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        resolve(child);
      }
    });
  });
}
