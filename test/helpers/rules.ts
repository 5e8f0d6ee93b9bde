import { expect } from 'vitest';
import type { BookingPolicy } from '../../core/booking/model.ts';
import type { ServiceRules } from '../../core/rules/service-rules.ts';
import type { Stores } from '../../host/stores.ts';
import { policy, type BookingTestHost } from './booking.ts';

/** A service that asks for an identity key (Qujing: the ID card number), kept only as its hash. */
export const idPolicy = (serviceId: string, over: Partial<BookingPolicy> = {}): BookingPolicy =>
  policy(serviceId, { identityKey: { required: true, label: { en: 'ID card number', 'zh-CN': '身份证号码' } }, ...over });

export const saveRules = (stores: Pick<Stores, 'rules'>, rules: Partial<ServiceRules> & { serviceId: string }): Promise<void> =>
  stores.rules.putServiceRules({ roster: false, outcomes: [], eligibility: [], ...rules });

export const PASS_FAIL = [
  { id: 'passed', names: { en: 'Passed', 'zh-CN': '合格' } },
  { id: 'failed', names: { en: 'Failed', 'zh-CN': '不合格' } },
];

export interface Applicant {
  name: string;
  email: string;
  phone?: string;
  identityKey?: string;
}

export async function holdAt(h: BookingTestHost, slotId: string, a: Applicant, lang = 'en') {
  return h.app.inject({
    method: 'POST',
    url: '/api/v1/booking/holds',
    headers: { 'accept-language': lang },
    payload: { slotId, channel: 'email', ...a },
  });
}

/** The first free slot of a day of a service (after the fake clock's now). */
export async function firstSlot(h: BookingTestHost, serviceId: string, day: string): Promise<string> {
  const res = await h.app.inject({ url: `/api/v1/booking/services/${serviceId}/days/${day}/slots` });
  expect(res.statusCode, res.body).toBe(200);
  const slot = (res.json().slots as { id: string; free: number }[]).find((s) => s.free > 0);
  if (slot === undefined) throw new Error(`no free slot of ${serviceId} on ${day}: ${res.body}`);
  return slot.id;
}

/** Hold → the confirmation mail reaches the SMTP sink → the link's token is POSTed: the booking number. */
export async function bookAndConfirm(h: BookingTestHost, slotId: string, a: Applicant): Promise<string> {
  const held = await holdAt(h, slotId, a);
  expect(held.statusCode, held.body).toBe(201);
  for (let i = 0; i < 20 && (await h.booking.worker.tick()) > 0; i++) await h.booking.worker.idle();
  await h.booking.worker.idle();
  const mail = await h.booking.mailSink!.next((m) => m.to.includes(a.email) && /confirm=/.test(m.text));
  const token = /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  const confirmed = await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token } });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  return confirmed.json().number as string;
}
