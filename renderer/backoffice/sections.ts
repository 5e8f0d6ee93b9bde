import { bansSection } from './sections/bans.ts';
import { displaySection } from './sections/display.ts';
import { statsSection } from './sections/stats.ts';
import type { Section } from './section.ts';

/**
 * The back office's sections, in the order of the navigation. Adding one: a module under
 * sections/ exporting a `Section` (section.ts), and one line here.
 */
export const SECTIONS: readonly Section[] = [
  bansSection,
  displaySection,
  statsSection,
];
