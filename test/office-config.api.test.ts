import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from './helpers/harness.ts';

let h: TestHost;
beforeEach(async () => {
  h = await startTestHost();
});
afterEach(async () => {
  await h.close();
});

const req = (method: string, url: string, payload?: unknown, who = 'admin', lang = 'en') =>
  h.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { cookie: h.cookie(who), 'accept-language': lang, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });

describe('smoke', () => {
  it('reads the config', async () => {
    const res = await req('GET', '/offices/o1/config');
    expect(res.statusCode, res.body).toBe(200);
    console.log(JSON.stringify(res.json()).slice(0, 2000));
  });
});
