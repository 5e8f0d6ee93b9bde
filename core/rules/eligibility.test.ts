import { describe, expect, it } from 'vitest';
import { eligibility } from './eligibility.ts';
import type { EligibilityRule, OutcomeRecord } from './service-rules.ts';

const outcome = (serviceId: string, result: string, day: string): OutcomeRecord => ({
  ticketId: `${serviceId}-${day}`,
  officeId: 'o1',
  serviceId,
  identityKeyId: 'k1',
  identityHash: 'h',
  outcome: result,
  day,
  at: 0,
  userId: 'u',
});

// Qujing: a retake ≥ 10 days after a fail; subject 2 ≥ 20 days after passing subject 1, subject 3 ≥ 30.
const RETAKE: EligibilityRule = { after: 'failed', minDays: 10 };
const SUBJECT2: EligibilityRule[] = [RETAKE, { requires: { service: 's1', outcome: 'passed' }, minDays: 20 }];

describe('eligibility intervals', () => {
  it('a retake waits 10 days after the latest fail; no history, no wait', () => {
    expect(eligibility('s1', [RETAKE], [], '2026-11-23')).toEqual({ kind: 'eligible' });
    const failed = [outcome('s1', 'failed', '2026-11-01'), outcome('s1', 'failed', '2026-11-23')];
    expect(eligibility('s1', [RETAKE], failed, '2026-12-02')).toEqual({ kind: 'too-soon', from: '2026-12-03' });
    expect(eligibility('s1', [RETAKE], failed, '2026-12-03')).toEqual({ kind: 'eligible' });
    // Another service's fail does not count.
    expect(eligibility('s2', [RETAKE], failed, '2026-11-24')).toEqual({ kind: 'eligible' });
  });

  it('subject 2 needs subject 1 passed, then 20 days; the latest of all rules wins', () => {
    expect(eligibility('s2', SUBJECT2, [outcome('s1', 'failed', '2026-11-01')], '2026-12-30')).toEqual({ kind: 'missing', service: 's1', outcome: 'passed' });
    const passed = [outcome('s1', 'passed', '2026-12-03')];
    expect(eligibility('s2', SUBJECT2, passed, '2026-12-22')).toEqual({ kind: 'too-soon', from: '2026-12-23' });
    expect(eligibility('s2', SUBJECT2, passed, '2026-12-23')).toEqual({ kind: 'eligible' });
    const andFailedS2 = [...passed, outcome('s2', 'failed', '2026-12-28')];
    expect(eligibility('s2', SUBJECT2, andFailedS2, '2027-01-06')).toEqual({ kind: 'too-soon', from: '2027-01-07' });
    // `after` with another service: wait after that service's outcome.
    expect(eligibility('s3', [{ after: 'passed', service: 's1', minDays: 30 }], passed, '2027-01-01')).toEqual({ kind: 'too-soon', from: '2027-01-02' });
  });
});
