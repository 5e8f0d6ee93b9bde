import type { BookingPolicy, BookingRules } from '../core/booking/model.ts';
import { saveBookingOffice, saveBookingPolicy } from '../store/booking/settings.store.ts';
import type { Db } from '../store/database.ts';
import type { Stores } from './stores.ts';

/**
 * Online booking of the demo office (after seeds 001 and 002): ID cards and passports 50 % online
 * of 120 a day, confirmed by e-mail link or SMS code; the vehicle register's capacity derived
 * from its counter's time (20 min a client), by e-mail. Both book up to 30 days ahead; the
 * cashier stays walk-in only. The office's rules show off sensibly: a no-show bars its contacts
 * from booking online for 30 days, and a vehicle (its VIN, the identity key of the vehicle register)
 * holds one booking at a time: a second is refused.
 */
export function demoBookingPolicies(): BookingPolicy[] {
  const base = {
    onlineSharePct: 50,
    onlinePlaces: null,
    slotMin: 15,
    horizonDays: 30,
    earliestDays: 0,
    release: { kind: 'rolling', openAt: '00:00' },
    allocation: 'fcfs',
    drawWindowMin: 60,
    holdMin: 15,
    counterWeights: {},
  } as const;
  return [
    { ...base, serviceId: 'id-cards', dayCapacity: { kind: 'explicit', clients: 120 }, confirmBy: ['email', 'sms'] },
    {
      ...base,
      serviceId: 'vehicles',
      dayCapacity: { kind: 'counter-minutes', serviceMin: 20 },
      slotMin: 30,
      confirmBy: ['email'],
      // One booking per vehicle (Bihor's rule): the VIN is kept only as its keyed hash.
      identityKey: {
        required: true,
        label: { cs: 'VIN (identifikační číslo vozidla)', en: 'VIN (vehicle identification number)', ro: 'VIN (seria de șasiu)', 'zh-CN': '车辆识别代号 (VIN)' },
      },
    },
  ];
}

/** The demo office's rules about people (admins change them with PUT /api/v1/booking/offices/demo/settings). */
export const DEMO_RULES: Partial<BookingRules> = { identityDuplicates: 'refuse', noShowBanDays: 30 };

export function saveDemoBooking(db: Db, officeId = 'demo'): void {
  db.transaction(() => {
    for (const p of demoBookingPolicies()) saveBookingPolicy(db, p);
    saveBookingOffice(db, { officeId, suspended: false, suspendedMessage: {}, rules: DEMO_RULES });
  }).immediate();
}

/** The same on any store (SQLite or PostgreSQL): what the demo seed writes. */
export async function seedDemoBooking(seed: Stores['seed'], officeId = 'demo'): Promise<void> {
  for (const p of demoBookingPolicies()) await seed.bookingPolicy(p);
  await seed.bookingOffice({ officeId, suspended: false, suspendedMessage: {}, rules: DEMO_RULES });
}
