/**
 * The sections of an office's configuration: a change names those it touched (the audit, the
 * `config:changed` event), so a screen refetches only when something it shows changed. A leaf
 * module: the event types import it.
 */
export const CONFIG_SECTIONS = ['office', 'logos', 'hours', 'calendar', 'fairness', 'alerts', 'departments', 'services', 'counters'] as const;
export type ConfigSectionName = (typeof CONFIG_SECTIONS)[number];
