import type { AffectedBookingT } from '../../contracts/office-config.ts';
import type { MeT } from '../shared/login.ts';
import type { Actions } from '../shared/ui.ts';

/**
 * What a back-office section is, and what the shell hands it. A section is one module under
 * sections/ exporting a `Section`, listed once in sections.ts: the shell draws its link in the
 * navigation (for the roles that may open it), creates it when first opened, and reloads it when
 * the office changes. A section keeps its state in the closure `create` returns, never in its module.
 */

/** Who may open a section: `staff` is anyone signed in (their own password). */
export type SectionRole = 'staff' | 'supervisor' | 'admin';

const RANK: Record<SectionRole, number> = { staff: 0, supervisor: 1, admin: 2 };

/** The role's rank: a role sees every section at or below it. */
export const rankOf = (role: string): number => (role === 'admin' || role === 'supervisor' ? RANK[role] : RANK.staff);

export interface ConfirmOptions {
  title: string;
  /** What the change does (to bookings, above all), in a sentence or two. */
  body: unknown;
  confirmLabel: string;
  /** Runs on yes; the dialog closes first. */
  onConfirm: () => void;
}

export interface Ctx {
  /** Who is signed in (as of now: `mustChangePassword` clears once they changed it). */
  readonly me: MeT;
  /** The office the page works on: the user's own, or the one an install admin chose. */
  officeId(): string;
  /** The office's languages, its first one first (public texts are written in each). */
  languages(): readonly string[];
  /** The office's IANA time zone: times are shown as the office's clock says them. */
  timeZone(): string;
  /** Re-renders the page (one patch per microtask however often it is called). */
  update(): void;
  /** Requests in flight by name (a second press does nothing; the button shows it is busy). */
  readonly actions: Actions;
  /** Asks before a change that affects bookings or cannot be taken back. */
  confirm(o: ConfirmOptions): void;
  /**
   * A saved change left these bookings without their time: the office-change step opens with them
   * (`open` false: the step only keeps what is still to resolve, for when it is drawn again).
   */
  strand(list: readonly AffectedBookingT[], open?: boolean): void;
  /** The bookings the last saved change left without their time (of the office worked on). */
  stranded(): readonly AffectedBookingT[];
  /** An office was added to the install: the header's office picker reads the list again. */
  officesChanged(): Promise<void>;
  /** The user changed their own password: a user who had to is let into every section again. */
  passwordChanged(): void;
  /** A page-wide message in the status line: a change done. */
  notice(text: string): void;
  /** What went wrong outside a form (a row's button, reading the section): said at once, in red. */
  problem(e: unknown): void;
}

export interface SectionInstance {
  /** Reads what the section shows: when it opens, and again when the office changes. */
  load(): Promise<void>;
  view(): unknown;
}

/** The section a user who must change their password is kept in. */
export const PASSWORD_SECTION = 'password';

/** The step after a change that strands bookings: move or cancel them (sections/office-change.ts). */
export const OFFICE_CHANGE_SECTION = 'office-change';

export interface Section {
  /** Its address: /backoffice/#/<id>. Lowercase letters and dashes. */
  id: string;
  /** Its name in the navigation and its heading: a catalogue key. */
  titleKey: string;
  role: SectionRole;
  /** Only the install's administrators see it (offices of the whole install). */
  installAdminOnly?: boolean;
  create(ctx: Ctx): SectionInstance;
}
