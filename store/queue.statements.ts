import type { Database, Statement } from 'better-sqlite3';
import { LIVE_STATES as LIVE_STATE_SET } from './live-tickets.ts';
import { TICKET_COLUMNS, TICKET_FIELDS } from './rows.ts';

/** The states of tickets still in the office (migration 10's partial index tickets_office_live). */
const LIVE_STATES = [...LIVE_STATE_SET].map((s) => `'${s}'`).join(', ');

/** The queue store's statements, prepared once per connection (store/queue.store.ts). */
export function queueStatements(db: Database): Record<string, Statement> {
  const p = (sql: string): Statement => db.prepare(sql);
  return {
    office: p('SELECT * FROM offices WHERE id = ?'),
    offices: p('SELECT * FROM offices ORDER BY id'),
    departments: p('SELECT * FROM departments WHERE office_id = ? AND removed_at IS NULL ORDER BY position, id'),
    service: p('SELECT * FROM services WHERE id = ?'),
    services: p('SELECT * FROM services WHERE office_id = ? AND removed_at IS NULL ORDER BY position, id'),
    counter: p('SELECT * FROM counters WHERE id = ? AND removed_at IS NULL'),
    counters: p('SELECT * FROM counters WHERE office_id = ? AND removed_at IS NULL ORDER BY CAST(number AS INTEGER), number'),
    countersOfUser: p('SELECT * FROM counters WHERE user_id = ? AND removed_at IS NULL'),
    ticket: p('SELECT * FROM tickets WHERE id = ?'),
    configVersion: p('SELECT version FROM config_version WHERE id = 1').pluck(),
    // The highest number used: kept by the tickets themselves (the UNIQUE index answers), and by
    // ticket_numbers, which counted until numbers moved to the live image (migration 14's time).
    lastNumber: p(`SELECT max(
        coalesce((SELECT last FROM ticket_numbers WHERE office_id = @o AND prefix = @p AND day = @d), 0),
        coalesce((SELECT max(seq) FROM tickets WHERE office_id = @o AND prefix = @p AND day = @d), 0)) AS n`).pluck(),
    countIssued: p('SELECT issued AS n FROM daily_issued WHERE service_id = ? AND day = ?'),
    uncountIssued: p('UPDATE daily_issued SET issued = issued - 1 WHERE service_id = ? AND day = ?'),
    deletePrinting: p(`DELETE FROM tickets WHERE id = ? AND state = 'printing'`),
    // Positional parameters (TICKET_FIELDS order): binding 23 named ones cost more than the insert's own work.
    insertTicket: p(`INSERT INTO tickets (${TICKET_FIELDS.map((f) => TICKET_COLUMNS[f]).join(', ')})
      VALUES (${TICKET_FIELDS.map(() => '?').join(', ')})`),
    // No RETURNING: the called ticket is known from the live image (RETURNING * cost twice the update).
    claim: p(`UPDATE tickets SET state = 'called', counter_id = ?, called_at = ?, recall_count = 0 WHERE id = ? AND state = 'waiting'`),
    // Every live ticket: what the live image is built from (the partial index holds just them).
    live: p(`SELECT * FROM tickets INDEXED BY tickets_office_live WHERE state IN (${LIVE_STATES})`),
    avg: p('SELECT average_service_ms AS v FROM service_stats WHERE service_id = ?'),
    setAvg: p(`INSERT INTO service_stats (service_id, average_service_ms) VALUES (?, ?)
      ON CONFLICT (service_id) DO UPDATE SET average_service_ms = excluded.average_service_ms`),
    appendEvent: p('INSERT INTO events (office_id, type, payload, at) VALUES (?, ?, ?, ?)'),
    closedServices: p(`SELECT c.service_id FROM service_closures c JOIN services s ON s.id = c.service_id
      WHERE s.office_id = ? AND c.day = ?`),
    bookingPolicy: p('SELECT policy FROM booking_policies WHERE service_id = ?'),
    totalChanges: p('SELECT total_changes()').pluck(),
  };
}
