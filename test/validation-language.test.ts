import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * Bad input is answered wholly in the caller's language, naming the field: never
 * "Požadavek není platný: body/password Invalid input: expected string, received undefined".
 */

let h: TestHost;
beforeAll(async () => {
  h = await startTestHost();
});
afterAll(() => h.close());

const login = async (lang: string, payload: unknown): Promise<{ status: number; code: string; message: string }> => {
  const raw = typeof payload === 'string';
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'accept-language': lang, ...(raw ? { 'content-type': 'application/json' } : {}) },
    payload: payload as Record<string, unknown>,
  });
  const body = res.json<{ error: { code: string; message: string } }>();
  return { status: res.statusCode, code: body.error.code, message: body.error.message };
};

/** zod's and Fastify's English, and the raw location of the field, that must never reach a reader. */
const ENGLISH_LEAK = /Invalid|expected|received|Too (small|big)|body\/|Unrecognized|must match/;

describe('validation errors in the caller’s language', () => {
  const missing = {
    cs: 'Požadavek není platný: pole „heslo“ v těle požadavku chybí',
    ro: 'Cererea nu este validă: câmpul „parolă” din corpul cererii lipsește',
    'zh-CN': '请求无效：请求正文中的字段“密码”缺失',
    en: 'The request is not valid: the field “password” in the request body is missing',
  };
  it.each(Object.entries(missing))('%s: a missing field is named in the reader’s words', async (lang, expected) => {
    const r = await login(lang, { username: 'admin' });
    expect([r.status, r.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(r.message).toBe(expected);
  });

  const tooLong = {
    cs: 'Požadavek není platný: pole „uživatelské jméno“ v těle požadavku smí mít nejvýše 64 znaků',
    ro: 'Cererea nu este validă: câmpul „nume de utilizator” din corpul cererii poate avea cel mult 64 de caractere',
    'zh-CN': '请求无效：请求正文中的字段“用户名”最多只能有 64 个字符',
    en: 'The request is not valid: the field “user name” in the request body may have at most 64 characters',
  };
  it.each(Object.entries(tooLong))('%s: a limit is said with its number, in the plural the number needs', async (lang, expected) => {
    expect((await login(lang, { username: 'x'.repeat(65), password: 'p' })).message).toBe(expected);
  });

  it.each(['cs', 'ro', 'zh-CN', 'en'])('%s: wrong types, empty strings and unreadable bodies leak no English and no raw path', async (lang) => {
    const answers = [
      await login(lang, { username: 42, password: 'p' }),
      await login(lang, { username: '', password: 'p' }),
      await login(lang, '{"username":'),
    ];
    for (const a of answers) {
      expect(a.status).toBe(400);
      if (lang !== 'en') expect(a.message, a.message).not.toMatch(ENGLISH_LEAK);
      expect(a.message).not.toMatch(/body\//);
    }
  });
});

describe('the field an error is about', () => {
  const answer = async (payload: unknown): Promise<{ field?: string }> =>
    (await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: payload as Record<string, unknown> })).json<{ error: { field?: string } }>().error;

  it('is named as sent beside the message, so a form puts the message beside its input', async () => {
    expect((await answer({ username: 'admin' })).field).toBe('password');
    expect((await answer({ username: 'x'.repeat(65), password: 'p' })).field).toBe('username');
  });

  it('is left out when the whole body is wrong', async () => {
    expect((await answer([])).field).toBeUndefined();
  });
});
