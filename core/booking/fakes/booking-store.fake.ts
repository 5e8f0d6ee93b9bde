import type { BookingStore } from '../ports.ts';
import type { BookingPolicy } from '../model.ts';
import { memoryBookingSettings } from './settings.fake.ts';
import { memorySlotStore } from './slots.fake.ts';
import { memoryBookingRecords } from './bookings.fake.ts';
import { memoryCodeEntryGuard, memoryConfirmationStore } from './codes.fake.ts';
import { memoryPersonRuleStore } from './person-rules.fake.ts';
import { memoryDrawStore, memoryOutbox } from './draws.fake.ts';

/** Every in-memory booking port together, for core unit tests; `outbox` shows what was queued. */
export function memoryBookingStore(policies: readonly BookingPolicy[] = []) {
  const outbox = memoryOutbox();
  const settings = memoryBookingSettings(policies);
  const store: BookingStore = {
    ...settings,
    ...memorySlotStore(),
    ...memoryBookingRecords((id) => outbox.dropReminders(id)),
    ...memoryConfirmationStore(),
    ...memoryCodeEntryGuard(),
    ...memoryPersonRuleStore(),
    ...memoryDrawStore(),
    enqueue: outbox.enqueue,
  };
  return { store, outbox: outbox.messages, savePolicy: (p: BookingPolicy) => settings.savePolicy(p) };
}
