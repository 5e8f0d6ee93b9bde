import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A data folder whose disk can fill up and be given space back while a host runs on it: a small
 * tmpfs mounted for the test (needs root or CAP_SYS_ADMIN), filled by a ballast file written until
 * ENOSPC and emptied by deleting it, as another program filling the host's disk would. Where the
 * machine does not let a test mount one, `available` says why and the caller falls back.
 */
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
