import { expect, it } from 'vitest';
import type { Application, DrawRecord } from '../../core/booking/model.ts';
import { DAY, eachBookingStore, OFFICE, SERVICE } from './booking-stores.ts';

const draw = (over: Partial<DrawRecord> = {}): DrawRecord => ({
  officeId: OFFICE,
  serviceId: SERVICE,
  day: DAY,
  opensAt: 0,
  closesAt: 1000,
  commitment: 'sha',
  seedSealed: 'sealed-seed',
  seed: null,
  state: 'open',
  ranAt: null,
  ...over,
});

const application = (id: string, contactKey: string): Application => ({
  id,
  officeId: OFFICE,
  serviceId: SERVICE,
  day: DAY,
  state: 'applied',
  appliedAt: 10,
  rankKey: 0,
  language: 'en',
  channel: 'email',
  nameSealed: 'n',
  emailSealed: 'e',
  phoneSealed: null,
  emailHash: 'eh',
  phoneHash: null,
  identityKeyId: null,
  identityHash: null,
  contactKey,
  holdKeyHash: `hk-${id}`,
  bookingId: null,
});

eachBookingStore((s) => {
  it('a draw is created once; putting it again records only its run', async () => {
    expect(await s().store.draw(SERVICE, DAY)).toBeNull();
    await s().store.putDraw(draw());
    await s().store.putDraw(draw({ commitment: 'changed', closesAt: 5, seed: 'seed', state: 'done', ranAt: 1001 }));
    expect(await s().store.draw(SERVICE, DAY)).toEqual(draw({ seed: 'seed', state: 'done', ranAt: 1001 }));
  });

  it('draws are due once their window closed and until they ran, earliest close first', async () => {
    await s().store.putDraw(draw({ day: '2026-11-25', closesAt: 900 }));
    await s().store.putDraw(draw({ closesAt: 500 }));
    await s().store.putDraw(draw({ day: '2026-11-26', closesAt: 2000 }));
    expect((await s().store.drawsDue(1000)).map((d) => d.day)).toEqual([DAY, '2026-11-25']);
    await s().store.putDraw(draw({ state: 'done', seed: 's', ranAt: 1000 }));
    expect((await s().store.drawsDue(1000)).map((d) => d.day)).toEqual(['2026-11-25']);
  });

  it('one application per contact, service and day; results are recorded on it', async () => {
    await s().store.putDraw(draw());
    expect(await s().store.insertApplication(application('a2', 'c1'))).toBe(true);
    expect(await s().store.insertApplication(application('a3', 'c1'))).toBe(false);
    expect(await s().store.insertApplication(application('a1', 'c2'))).toBe(true);
    expect((await s().store.applications(SERVICE, DAY)).map((a) => a.id)).toEqual(['a1', 'a2']);
    await s().store.setApplicationResult('a2', 'not_allocated', null);
    expect((await s().store.applications(SERVICE, DAY)).find((a) => a.id === 'a2')).toEqual({ ...application('a2', 'c1'), state: 'not_allocated' });
    expect(await s().store.applications(SERVICE, '2026-11-25')).toEqual([]);
  });
});
