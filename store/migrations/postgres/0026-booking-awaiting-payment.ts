import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0026-booking-awaiting-payment.ts: a booking may wait as `awaiting_payment`
 * (PostgreSQL changes the CHECK in place).
 */
export default {
  version: 26,
  sql: `
  ALTER TABLE bookings DROP CONSTRAINT bookings_state_check;
  ALTER TABLE bookings ADD CONSTRAINT bookings_state_check
    CHECK (state IN ('held','awaiting_payment','confirmed','expired','cancelled','checked_in','done','lapsed','no_show'));
  `,
} satisfies Migration;
