import { expect, it } from 'vitest';
import { DEFAULT_CHECK_IN, DEFAULT_RULES, type BookingOfficeSettings } from '../../core/booking/model.ts';
import { policy } from '../helpers/booking.ts';
import { eachBookingStore, OFFICE, SERVICE } from './booking-stores.ts';

eachBookingStore((s) => {
  it('a service has no policy until one is saved', async () => {
    expect(await s().store.policy(SERVICE)).toBeNull();
    await s().savePolicy(policy(SERVICE, { holdMin: 7 }));
    expect(await s().store.policy(SERVICE)).toEqual(policy(SERVICE, { holdMin: 7 }));
  });

  it("an office's switches default to open, and are stored whole", async () => {
    expect(await s().store.officeSettings(OFFICE)).toEqual({ officeId: OFFICE, suspended: false, suspendedMessage: {}, checkIn: DEFAULT_CHECK_IN, rules: DEFAULT_RULES });
    const settings: BookingOfficeSettings = {
      officeId: OFFICE,
      suspended: true,
      suspendedMessage: { en: 'Closed for the flood' },
      checkIn: { ...DEFAULT_CHECK_IN },
      rules: { ...DEFAULT_RULES },
    };
    await s().store.putOfficeSettings(settings);
    expect(await s().store.officeSettings(OFFICE)).toEqual(settings);
    await s().store.putOfficeSettings({ ...settings, suspended: false });
    expect((await s().store.officeSettings(OFFICE)).suspended).toBe(false);
  });
});
