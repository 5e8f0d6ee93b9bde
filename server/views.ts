import type { Counter } from '../core/shared/model.ts';

/** A counter as the API shows it (mutable arrays for the response schema). */
export const counterView = (c: Counter) => ({
  ...c,
  serviceIds: [...c.serviceIds],
  sessionServiceIds: c.sessionServiceIds === null ? null : [...c.sessionServiceIds],
});
