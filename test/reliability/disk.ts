import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A data folder whose disk can fill up and be given space back while a host runs on it, by the
 * best means the machine allows (`FRONTA_DISK_FILL=tmpfs|prlimit|page-limit` forces one, so the
 * fallbacks are tested where the first would work):
 * - `tmpfs`: a small tmpfs mounted for the test (needs root or CAP_SYS_ADMIN), filled by a ballast
 *   file written until ENOSPC and emptied by deleting it, as another program filling the disk would;
 * - `prlimit`: the host process's file-size limit lowered to its database file's size while it
 *   runs (`prlimit --pid … --fsize`), then lifted;
 * - `page-limit`: SQLite's own `max_page_count` capped at the pages in use, through the test host's
 *   loopback route (host/test-storage.ts), then lifted.
 */
export type FillMethod = 'tmpfs' | 'prlimit' | 'page-limit';

export interface HostHandle {
  pid: number;
  url: string;
}

export interface FillableDisk {
  method: FillMethod;
  dir: string;
  /** Why the methods before it were not used (null: the first one was). */
  fallbackReason: string | null;
  /** Variables the host must be started with. */
  hostEnv: Record<string, string>;
  /** Fills the disk under the running host; answers what was done, for the report. */
  fill(host: HostHandle): Promise<string>;
  /** Space comes back. */
  free(host: HostHandle): Promise<void>;
  dispose(): void;
}

const METHODS: readonly FillMethod[] = ['tmpfs', 'prlimit', 'page-limit'];

/** The disk for the storage-full part: the first method that works here, from the one forced if any. */
export function fillableDisk(sizeMiB: number): FillableDisk {
  const forced = process.env['FRONTA_DISK_FILL'];
  const from = METHODS.indexOf((forced ?? 'tmpfs') as FillMethod);
  if (from < 0) throw new Error(`FRONTA_DISK_FILL: one of ${METHODS.join(', ')}, not ${forced}`);
  const reasons: string[] = from > 0 ? [`FRONTA_DISK_FILL=${forced}`] : [];
  if (from === 0) {
    const mounted = mountSmallDisk(sizeMiB);
    if (!('unavailable' in mounted)) {
      return {
        method: 'tmpfs',
        dir: mounted.dir,
        fallbackReason: null,
        hostEnv: {},
        fill: () => Promise.resolve(`tmpfs ${sizeMiB}MiB + ballast ${Math.round(mounted.fill() / 1024)}KiB`),
        free: () => Promise.resolve(mounted.free()),
        dispose: () => mounted.dispose(),
      };
    }
    reasons.push(mounted.unavailable);
  }
  const dir = mkdtempSync(join(tmpdir(), 'fronta-disk-'));
  const dispose = (): void => rmSync(dir, { recursive: true, force: true });
  const prlimit = from <= 1 ? prlimitWorks() : 'not tried';
  if (prlimit === null) {
    const setLimit = (pid: number, soft: string): void => {
      execFileSync('prlimit', ['--pid', String(pid), `--fsize=${soft}:`], { stdio: 'pipe' });
    };
    return {
      method: 'prlimit',
      dir,
      fallbackReason: reasons.join('; '),
      hostEnv: {},
      async fill(host) {
        const bytes = statSync(join(dir, 'fronta.db')).size;
        setLimit(host.pid, String(bytes));
        return `prlimit --fsize ${Math.round(bytes / 1024)}KiB on the host`;
      },
      free: (host) => Promise.resolve(setLimit(host.pid, 'unlimited')),
      dispose,
    };
  }
  if (from <= 1) reasons.push(`prlimit: ${prlimit}`);
  const pageLimit = async (host: HostHandle, full: boolean): Promise<{ maxPageCount: number }> => {
    const res = await fetch(`${host.url}/test/page-limit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ full }) });
    if (res.status !== 200) throw new Error(`page limit: ${res.status} ${await res.text()}`);
    return (await res.json()) as { maxPageCount: number };
  };
  return {
    method: 'page-limit',
    dir,
    fallbackReason: reasons.join('; '),
    // The page-limit route exists on a test host only; its clock starts now and stands still.
    hostEnv: { FRONTA_FAKE_CLOCK: String(Date.now()) },
    fill: async (host) => `PRAGMA max_page_count = ${(await pageLimit(host, true)).maxPageCount} pages`,
    free: async (host) => void (await pageLimit(host, false)),
    dispose,
  };
}

/** Null when this process may lower a file-size limit of a process it started; else why not. */
function prlimitWorks(): string | null {
  try {
    execFileSync('prlimit', ['--fsize=1048576:', 'true'], { stdio: 'pipe' });
    return null;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e).trim() || 'not available';
  }
}

export interface SmallDisk {
  method: 'tmpfs';
  dir: string;
  /** Writes ballast until the disk is full; answers how many bytes it took. */
  fill(): number;
  /** Deletes the ballast: the space comes back. */
  free(): void;
  dispose(): void;
}

export function mountSmallDisk(sizeMiB: number): SmallDisk | { unavailable: string } {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    return { unavailable: `cannot mount a tmpfs here: ${String((e as { stderr?: Buffer }).stderr ?? e).trim()}` };
  }
  const ballast = join(dir, 'ballast');
  return {
    method: 'tmpfs',
    dir,
    fill() {
      const fd = openSync(ballast, 'a');
      const chunk = Buffer.alloc(64 * 1024, 0x5a);
      let bytes = 0;
      try {
        for (;;) bytes += writeSync(fd, chunk);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      } finally {
        closeSync(fd);
      }
      // The last partial chunk: down to the last byte.
      const fd2 = openSync(ballast, 'a');
      try {
        for (;;) bytes += writeSync(fd2, Buffer.alloc(512, 0x5a));
      } catch {
        // full
      } finally {
        closeSync(fd2);
      }
      return bytes;
    },
    free() {
      rmSync(ballast, { force: true });
    },
    dispose() {
      try {
        unlinkSync(ballast);
      } catch {
        // already gone
      }
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
