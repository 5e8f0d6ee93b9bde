import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * The languages the hall display speaks are an office setting: by default the office's first
 * language only (one language keeps the voice up with the screen); an admin adds more over the
 * API, and the display reads them with its own token.
 */

let h: TestHost;

const read = (office = 'o1') => h.app.inject({ url: `/api/v1/offices/${office}/display-settings`, headers: { authorization: `Bearer ${h.displayToken}` } });
const put = (payload: unknown, headers: Record<string, string> = { cookie: h.cookie('admin') }) =>
  h.app.inject({ method: 'PUT', url: '/api/v1/offices/o1/display-settings', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

describe.each(BOTH_STORES)('the display’s voice languages on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store }); // test office o1 speaks cs, en
  });
  afterEach(async () => {
    await h.close();
  });

  it('are the office’s first language until an admin chooses more', async () => {
    const res = await read();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ officeId: 'o1', voiceLanguages: ['cs'] });
  });

  it('an admin sets them, in the order spoken, and the display reads them back', async () => {
    const res = await put({ voiceLanguages: ['en', 'cs'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ officeId: 'o1', voiceLanguages: ['en', 'cs'] });
    expect((await read()).json()).toEqual({ officeId: 'o1', voiceLanguages: ['en', 'cs'] });
    // The other office settings are untouched.
    const office = (await h.queue.read((s) => s.getOffice('o1')))!;
    expect(office.settings.maxRecalls).toBe(h.config.office.settings.maxRecalls);
  });

  it('refuses a language the office does not serve, a language twice, or none — in the caller’s language, nothing changed', async () => {
    for (const voiceLanguages of [['ro'], ['cs', 'cs'], []]) {
      const res = await put({ voiceLanguages }, { cookie: h.cookie('admin'), 'accept-language': 'cs' });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toMatch(/^Požadavek není platný/);
    }
    expect((await read()).json().voiceLanguages).toEqual(['cs']);
  });

  it('only an admin of the office changes them; its display (and staff) read them, a kiosk does not', async () => {
    expect((await put({ voiceLanguages: ['en'] }, { cookie: h.cookie('clerk1') })).statusCode).toBe(403);
    expect((await put({ voiceLanguages: ['en'] }, { authorization: `Bearer ${h.displayToken}` })).statusCode).toBe(403);
    expect((await put({ voiceLanguages: ['en'] }, {})).statusCode).toBe(401);
    expect((await read('o2')).statusCode).toBe(403);
    const kiosk = await h.app.inject({ url: '/api/v1/offices/o1/display-settings', headers: { authorization: `Bearer ${h.kioskToken}` } });
    expect(kiosk.statusCode).toBe(403);
    expect((await read()).json().voiceLanguages).toEqual(['cs']);
  });
});
