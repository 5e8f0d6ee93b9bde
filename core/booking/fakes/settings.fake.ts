import type { BookingSettingsStore } from '../ports.ts';
import { DEFAULT_CHECK_IN, DEFAULT_RULES, type BookingOfficeSettings, type BookingPolicy } from '../model.ts';

/** In-memory booking settings; `savePolicy` stands in for the configuration writes. */
export function memoryBookingSettings(policies: readonly BookingPolicy[] = []) {
  const policyOf = new Map(policies.map((p) => [p.serviceId, p]));
  const offices = new Map<string, BookingOfficeSettings>();
  return {
    savePolicy: (p: BookingPolicy): void => {
      policyOf.set(p.serviceId, structuredClone(p));
    },
    policy: async (serviceId) => {
      const p = policyOf.get(serviceId);
      return p === undefined ? null : structuredClone(p);
    },
    officeSettings: async (officeId) => {
      const s = offices.get(officeId);
      return s === undefined
        ? { officeId, suspended: false, suspendedMessage: {}, checkIn: { ...DEFAULT_CHECK_IN }, rules: { ...DEFAULT_RULES } }
        : structuredClone(s);
    },
    putOfficeSettings: async (settings) => {
      offices.set(settings.officeId, structuredClone(settings));
    },
  } satisfies BookingSettingsStore & { savePolicy(p: BookingPolicy): void };
}
