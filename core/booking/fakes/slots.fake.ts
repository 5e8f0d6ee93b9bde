import type { SlotStore } from '../ports.ts';
import type { Slot } from '../model.ts';

/** In-memory slots: `reserve` never takes more than `places`, like the adapter's conditional UPDATE. */
export function memorySlotStore() {
  const slots = new Map<string, Slot>();
  const ofDay = (serviceId: string, day: string): Slot[] =>
    [...slots.values()].filter((s) => s.serviceId === serviceId && s.day === day).sort((a, b) => a.startMin - b.startMin);
  return {
    ensureSlots: async (serviceId, day, specs) => {
      for (const s of specs) if (!slots.has(s.id)) slots.set(s.id, { id: s.id, serviceId, day, startMin: s.startMin, startAt: s.startAt, places: s.places, taken: 0, minutes: s.minutes ?? null });
    },
    slots: async (serviceId, day) => ofDay(serviceId, day).map((s) => ({ ...s })),
    slot: async (id) => {
      const s = slots.get(id);
      return s === undefined ? null : { ...s };
    },
    reserve: async (slotId) => {
      const s = slots.get(slotId);
      if (s === undefined || s.taken >= s.places) return false;
      s.taken++;
      return true;
    },
    free: async (slotId) => {
      const s = slots.get(slotId);
      if (s !== undefined && s.taken > 0) s.taken--;
    },
    hasFreePlace: async (serviceId, day) => ofDay(serviceId, day).some((s) => s.taken < s.places),
  } satisfies SlotStore;
}
