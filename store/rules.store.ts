import type { Database, Statement } from 'better-sqlite3';
import type { OutcomeRecord, RulesStore, ServiceRules } from '../core/rules/service-rules.ts';

interface OutcomeRow {
  ticket_id: string;
  office_id: string;
  service_id: string;
  identity_key_id: string;
  identity_hash: string;
  outcome: string;
  day: string;
  at: number;
  user_id: string;
}

const outcomeOf = (r: OutcomeRow): OutcomeRecord => ({
  ticketId: r.ticket_id,
  officeId: r.office_id,
  serviceId: r.service_id,
  identityKeyId: r.identity_key_id,
  identityHash: r.identity_hash,
  outcome: r.outcome,
  day: r.day,
  at: r.at,
  userId: r.user_id,
});

/** Per-service rules (roster, outcomes, eligibility) and the outcomes clerks recorded. */
export class SqliteRulesStore implements RulesStore {
  private readonly s: Record<'rules' | 'record' | 'of', Statement>;

  constructor(private readonly db: Database) {
    this.s = {
      rules: db.prepare('SELECT rules FROM service_rules WHERE service_id = ?').pluck(),
      record: db.prepare(`INSERT INTO outcomes (ticket_id, office_id, service_id, identity_key_id, identity_hash, outcome, day, at, user_id)
        VALUES (@ticketId, @officeId, @serviceId, @identityKeyId, @identityHash, @outcome, @day, @at, @userId) ON CONFLICT (ticket_id) DO NOTHING`),
      // At most one hash per key still configured: a handful of values.
      of: db.prepare(`SELECT * FROM outcomes WHERE identity_hash IN (SELECT value FROM json_each(?)) ORDER BY day, at`),
    };
  }

  async serviceRules(serviceId: string): Promise<ServiceRules | null> {
    const json = this.s.rules.get(serviceId) as string | undefined;
    return json === undefined ? null : { ...(JSON.parse(json) as Omit<ServiceRules, 'serviceId'>), serviceId };
  }

  async putServiceRules(rules: ServiceRules): Promise<void> {
    saveServiceRules(this.db, rules);
  }

  async recordOutcome(o: OutcomeRecord): Promise<boolean> {
    return this.s.record.run(o).changes === 1;
  }

  async outcomesOf(identityHashes: readonly string[]): Promise<OutcomeRecord[]> {
    return (this.s.of.all(JSON.stringify(identityHashes)) as OutcomeRow[]).map(outcomeOf);
  }
}

/** Configuration writes (admin API, demo seed, fixtures): one row of rules per service. */
export function saveServiceRules(db: Database, rules: ServiceRules): void {
  const { serviceId, ...rest } = rules;
  db.prepare(`INSERT INTO service_rules (service_id, rules) VALUES (?, ?) ON CONFLICT (service_id) DO UPDATE SET rules = excluded.rules`).run(
    serviceId,
    JSON.stringify(rest),
  );
}
