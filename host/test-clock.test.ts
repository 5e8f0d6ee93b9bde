import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from './config.ts';
import { createHost, type Host } from './host.ts';
import { parseFakeClock } from './test-clock.ts';

/** The test clock exists only when FRONTA_FAKE_CLOCK is set, and only loopback callers move it. */

const AT = Date.parse('2026-11-23T08:00:00+01:00');
let host: Host | undefined;
let dir: string | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(env: NodeJS.ProcessEnv): Promise<Host> {
  dir = mkdtempSync(join(tmpdir(), 'fronta-test-clock-'));
  host = await createHost(readConfig({ data: dir, port: '0', 'log-level': 'silent' }, env));
  return host;
}

describe('FRONTA_FAKE_CLOCK', () => {
  it('takes an instant with its offset or epoch milliseconds, and nothing ambiguous', () => {
    expect(parseFakeClock('2026-11-23T08:00:00+01:00')).toBe(AT);
    expect(parseFakeClock('2026-11-23T07:00:00Z')).toBe(AT);
    expect(parseFakeClock(String(AT))).toBe(AT);
    for (const bad of ['2026-11-23 08:00', '2026-11-23T08:00:00', 'tomorrow', '1e12']) expect(() => parseFakeClock(bad), bad).toThrow(/FRONTA_FAKE_CLOCK/);
    expect(readConfig({}, {}).fakeClockAt).toBeNull();
    expect(readConfig({}, { FRONTA_FAKE_CLOCK: '' }).fakeClockAt).toBeNull();
    expect(readConfig({}, { FRONTA_FAKE_CLOCK: '2026-11-23T07:00:00Z' }).fakeClockAt).toBe(AT);
  });

  it('unset (production): the host runs on the system clock and has no clock route', async () => {
    const h = await start({});
    expect(Math.abs(h.clock.now() - Date.now())).toBeLessThan(5000);
    expect((await h.app.inject({ method: 'GET', url: '/test/clock' })).statusCode).toBe(404);
    expect((await h.app.inject({ method: 'POST', url: '/test/clock', payload: { at: AT } })).statusCode).toBe(404);
  });

  it('set: the clock stands still at that instant until a loopback caller moves it', async () => {
    const h = await start({ FRONTA_FAKE_CLOCK: '2026-11-23T08:00:00+01:00' });
    expect(h.clock.now()).toBe(AT);
    expect((await h.app.inject({ method: 'GET', url: '/test/clock' })).json()).toEqual({ now: AT });
    expect((await h.app.inject({ method: 'POST', url: '/test/clock', payload: { at: AT + 60_000 } })).json()).toEqual({ now: AT + 60_000 });
    expect((await h.app.inject({ method: 'POST', url: '/test/clock', payload: { advanceMs: -16 * 60_000 } })).json()).toEqual({ now: AT - 15 * 60_000 });
    expect(h.clock.now()).toBe(AT - 15 * 60_000);
    expect((await h.app.inject({ method: 'POST', url: '/test/clock', payload: { at: 'noon' } })).statusCode).toBe(400);
    const remote = await h.app.inject({ method: 'POST', url: '/test/clock', payload: { at: 0 }, remoteAddress: '192.0.2.7' });
    expect(remote.statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/test/clock', remoteAddress: '192.0.2.7' })).statusCode).toBe(403);
    expect(h.clock.now()).toBe(AT - 15 * 60_000);
  });
});
