import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './helpers/child-host.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

describe('the compiled host (what npm start runs)', () => {
  it('builds, starts on a fresh data folder with the demo office, answers in the caller language, serves the demo printers and stops cleanly', async () => {
    execFileSync('npm', ['run', '--silent', 'build:host'], { cwd: REPO_ROOT, stdio: 'pipe' });
    const data = mkdtempSync(join(tmpdir(), 'fronta-compiled-'));
    // The bundle itself, not bin/fronta.js, so no fallback to the sources can hide a broken build.
    const bundle = pathToFileURL(join(REPO_ROOT, 'dist', 'host.mjs')).href;
    const script = `const { main } = await import(${JSON.stringify(bundle)}); await main(process.argv.slice(1));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, 'serve', '--demo', '--host', '127.0.0.1', '--port', '0', '--data', data, '--log-level', 'warn'], {
      cwd: REPO_ROOT,
      env: { ...process.env, FRONTA_FROM_SOURCE: undefined },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        out += d;
        const m = /listening on (http:\/\/[^\s)]+)/.exec(out);
        if (m !== null) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`compiled host exited ${code}:\n${out}`)));
    });
    expect(out).toContain('created the demo office');
    expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ status: 'ok', offices: 1 });
    // The catalogues are inlined in the bundle: an unknown route answers in Czech when asked.
    const missing = await fetch(`${url}/api/v1/nothing-here`, { headers: { 'accept-language': 'cs' } });
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('NOT_FOUND');
    expect(body.error.message).not.toBe((await (await fetch(`${url}/api/v1/nothing-here`)).json() as typeof body).error.message);
    // The demo kiosks' virtual printers load their profiles from beside the bundle.
    expect((await fetch(`${url}/demo/printers`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
