import { bansSection } from './sections/bans.ts';
import { bookingSettingsSection } from './sections/booking-settings.ts';
import { devicesSection } from './sections/devices.ts';
import { displaySection } from './sections/display.ts';
import { outboxSection } from './sections/outbox.ts';
import { webhooksSection } from './sections/webhooks.ts';
import { passwordSection } from './sections/password.ts';
import { rosterSection } from './sections/roster.ts';
import { rulesSection } from './sections/rules.ts';
import { usersSection } from './sections/users.ts';
import { hoursSection } from './sections/hours.ts';
import { servicesConfigSection } from './sections/services-config.ts';
import { departmentsSection } from './sections/departments.ts';
import { serviceSettingsSection } from './sections/service-settings.ts';
import { countersConfigSection } from './sections/counters-config.ts';
import { officeChangeSection } from './sections/office-change.ts';
import { officeConfigSection } from './sections/office-config.ts';
import { logosSection } from './sections/logos.ts';
import { fairnessSection } from './sections/fairness.ts';
import { alertSettingsSection } from './sections/alerts.ts';
import { auditSection } from './sections/audit.ts';
import { backupsSection } from './sections/backups.ts';
import { templatesSection } from './sections/templates.ts';
import { statsSection } from './sections/stats.ts';
import { feesSection } from './sections/fees.ts';
import { officesSection } from './sections/offices.ts';
import type { Section } from './section.ts';

/**
 * The back office's sections, in the order of the navigation. Adding one: a module under
 * sections/ exporting a `Section` (section.ts), and one line here.
 */
export const SECTIONS: readonly Section[] = [
  bookingSettingsSection,
  officeConfigSection,
  logosSection,
  hoursSection,
  departmentsSection,
  servicesConfigSection,
  serviceSettingsSection,
  countersConfigSection,
  officeChangeSection,
  fairnessSection,
  alertSettingsSection,
  bansSection,
  rosterSection,
  rulesSection,
  outboxSection,
  webhooksSection,
  displaySection,
  usersSection,
  devicesSection,
  templatesSection,
  auditSection,
  backupsSection,
  passwordSection,
  statsSection,
  feesSection,
  officesSection,
];
