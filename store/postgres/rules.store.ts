import type { OutcomeRecord, RulesStore, ServiceRules } from '../../core/rules/service-rules.ts';
import { changes, fieldsOf, rows, type Sql } from './booking/sql.ts';
import { sqlOf, type PgDb } from './db.ts';
import { memoRows } from './unit-memo.ts';

const OUTCOME = fieldsOf(['ticketId', 'officeId', 'serviceId', 'identityKeyId', 'identityHash', 'outcome', 'day', 'at', 'userId']);

/** Per-service rules (roster, outcomes, eligibility) and the outcomes clerks recorded, on PostgreSQL. */
export class PgRulesStore implements RulesStore {
  constructor(private readonly db: PgDb) {}

  async serviceRules(serviceId: string): Promise<ServiceRules | null> {
    const [r] = await memoRows<{ rules: string }>(sqlOf(this.db), 'SELECT rules FROM service_rules WHERE service_id = $1', [serviceId]);
    return r === undefined ? null : { ...(JSON.parse(r.rules) as Omit<ServiceRules, 'serviceId'>), serviceId };
  }

  putServiceRules(rules: ServiceRules): Promise<void> {
    return savePgServiceRules(sqlOf(this.db), rules);
  }

  async recordOutcome(o: OutcomeRecord): Promise<boolean> {
    const inserted = await changes(
      sqlOf(this.db),
      `INSERT INTO outcomes (ticket_id, office_id, service_id, identity_key_id, identity_hash, outcome, day, at, user_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (ticket_id) DO NOTHING`,
      [o.ticketId, o.officeId, o.serviceId, o.identityKeyId, o.identityHash, o.outcome, o.day, o.at, o.userId],
    );
    return inserted === 1;
  }

  outcomesOf(identityHashes: readonly string[]): Promise<OutcomeRecord[]> {
    return rows<OutcomeRecord>(sqlOf(this.db), `SELECT ${OUTCOME} FROM outcomes WHERE identity_hash = ANY($1::text[]) ORDER BY day, at`, [[...identityHashes]]);
  }
}

/** Configuration writes (the office configuration, fixtures): one row of rules per service. */
export async function savePgServiceRules(sql: Sql, rules: ServiceRules): Promise<void> {
  const { serviceId, ...rest } = rules;
  await sql.query('INSERT INTO service_rules (service_id, rules) VALUES ($1, $2) ON CONFLICT (service_id) DO UPDATE SET rules = excluded.rules', [
    serviceId,
    JSON.stringify(rest),
  ]);
}
