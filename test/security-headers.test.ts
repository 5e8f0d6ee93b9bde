import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../host/config.ts';
import { createHost, type Host } from '../host/host.ts';
import { seedDemo } from '../host/seed-demo.ts';
import { randomIds, systemClock } from '../host/system.ts';

/**
 * Every answer carries a strict CSP (scripts and styles only as files of this host, no framing),
 * nosniff, a Referrer-Policy and X-Frame-Options; the pages the host renders itself carry no
 * inline script or style, which that CSP would block.
 */

let host: Host;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fronta-headers-'));
  host = await createHost(readConfig({ data: dir, port: '0', 'log-level': 'silent', demo: true }, {}));
  await seedDemo(host.stores, { ids: randomIds, clock: systemClock }, dir);
});
afterAll(async () => {
  await host.close();
  rmSync(dir, { recursive: true, force: true });
});

const directives = (csp: string): Map<string, string> =>
  new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).filter((p) => p[0] !== '').map(([name, ...values]) => [name!, values.join(' ')]));

const HOST_HTML = ['/', '/demo/messages', '/demo/printers'];

describe('security headers', () => {
  it.each([...HOST_HTML, '/api/docs', '/api/docs/static/index.html', '/api/docs/json', '/api/health', '/static/home.js', '/no/such/page', '/api/v1/counters/c1/pause'])(
    '%s carries CSP with frame-ancestors none and no inline code, nosniff, Referrer-Policy, X-Frame-Options',
    async (url) => {
      const res = await host.app.inject({ method: url.endsWith('/pause') ? 'POST' : 'GET', url });
      expect(res.statusCode, url).toBeLessThan(500);
      const csp = directives(String(res.headers['content-security-policy']));
      expect(csp.get('frame-ancestors')).toBe("'none'");
      expect(csp.get('script-src')).toBe("'self'");
      // The API docs allow exactly one more: the hash of the <style> swagger UI inserts.
      expect(csp.get('style-src')).toBe(url.startsWith('/api/docs') ? "'self' 'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='" : "'self'");
      expect(csp.get('object-src')).toBe("'none'");
      for (const value of csp.values()) expect(value).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('same-origin');
    },
  );

  it.each(HOST_HTML)('%s has no inline script, style element or style attribute', async (url) => {
    const res = await host.app.inject({ url });
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves the pages’ scripts and styles as files', async () => {
    for (const [url, type] of [
      ['/static/home.js', /javascript/],
      ['/static/home.css', /css/],
      ['/static/demo.css', /css/],
      ['/static/demo-printers.js', /javascript/],
    ] as const) {
      const res = await host.app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(type);
    }
  });
});
