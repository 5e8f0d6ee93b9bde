import { html, nothing, type TemplateResult } from 'lit-html';
import { z } from 'zod';
import { api } from '../shared/api.ts';
import { languagePicker, t } from '../shared/i18n.ts';
import { logout, type MeT } from '../shared/login.ts';
import { Actions, button, dialog } from '../shared/ui.ts';
import { selectField } from './form.ts';
import type { AffectedBookingT } from '../../contracts/office-config.ts';
import { OFFICE_CHANGE_SECTION, PASSWORD_SECTION, rankOf, type ConfirmOptions, type Ctx, type Section, type SectionInstance } from './section.ts';

/**
 * The back office's frame: the header (office, who, language, sign out), the navigation between
 * the sections the user's role may open, the open section in <main>, the status line and the
 * confirm dialog. The address says which section is open (#/bans), so the browser's back button
 * and a bookmark work.
 */

const OfficesResponse = z.object({ offices: z.array(z.object({ id: z.string(), name: z.string(), timeZone: z.string(), languages: z.array(z.string()) })) });
type OfficeT = z.infer<typeof OfficesResponse>['offices'][number];

/** An install's administrator works on any office (picked in the header); everyone else on their own. */
export const mayPickOffice = (me: MeT): boolean => me.isInstallAdmin;

export class Shell {
  private officeId: string;
  private offices: OfficeT[] = [];
  private openId = '';
  private instances = new Map<string, SectionInstance>();
  private confirming: ConfirmOptions | null = null;
  /** Bookings a saved change stranded, handed to the office-change step (dropped with the office). */
  private stranded: readonly AffectedBookingT[] = [];
  /** Where the focus was when the confirm dialog opened: it goes back there. */
  private returnFocus: HTMLElement | null = null;
  private status = { text: '', isProblem: false };
  readonly update: () => void;
  private readonly actions: Actions;
  private readonly ctx: Ctx;

  constructor(
    private me: MeT,
    private readonly sections: readonly Section[],
    update: () => void,
  ) {
    this.update = update;
    this.officeId = me.officeId;
    this.actions = new Actions(update);
    const office = (): OfficeT | undefined => this.offices.find((o) => o.id === this.officeId);
    const current = (): MeT => this.me;
    this.ctx = {
      get me() {
        return current();
      },
      officeId: () => this.officeId,
      languages: () => office()?.languages ?? [],
      timeZone: () => office()?.timeZone ?? 'UTC',
      update,
      actions: this.actions,
      confirm: (o) => {
        this.returnFocus = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        this.confirming = o;
        update();
      },
      strand: (list, open = true) => {
        this.stranded = list;
        if (!open) return;
        // The step starts afresh from this list, whether or not it was open before.
        this.instances.delete(OFFICE_CHANGE_SECTION);
        if (this.openId === OFFICE_CHANGE_SECTION) this.open(OFFICE_CHANGE_SECTION, true);
        else location.hash = `#/${OFFICE_CHANGE_SECTION}`;
      },
      stranded: () => this.stranded,
      officesChanged: async () => {
        this.offices = (await api('GET', '/offices', OfficesResponse)).offices;
        update();
      },
      passwordChanged: () => {
        if (!this.me.mustChangePassword) return;
        this.me = { ...this.me, mustChangePassword: false };
        this.update();
      },
      notice: (text) => {
        this.status = { text, isProblem: false };
        update();
      },
      problem: (e) => {
        this.status = { text: e instanceof Error ? e.message : String(e), isProblem: true };
        update();
      },
    };
  }

  /** The sections this user may open, in the order of the list (only their password while they must change it). */
  visible(): Section[] {
    if (this.me.mustChangePassword) return this.sections.filter((s) => s.id === PASSWORD_SECTION);
    return this.sections.filter((s) => rankOf(this.me.role) >= rankOf(s.role) && (s.installAdminOnly !== true || this.me.isInstallAdmin));
  }

  async start(): Promise<void> {
    this.offices = (await api('GET', '/offices', OfficesResponse)).offices;
    window.addEventListener('hashchange', () => this.open(this.fromHash(), true));
    this.open(this.fromHash(), false);
  }

  private fromHash(): string {
    const id = location.hash.replace(/^#\/?/, '');
    const shown = this.visible();
    return (shown.find((s) => s.id === id) ?? shown[0])?.id ?? '';
  }

  /** Opens a section (created the first time), reads its data, and moves the focus to its heading. */
  private open(id: string, moveFocus: boolean): void {
    const section = this.visible().find((s) => s.id === id);
    if (section === undefined) return;
    this.openId = id;
    this.status = { text: '', isProblem: false };
    let instance = this.instances.get(id);
    if (instance === undefined) this.instances.set(id, (instance = section.create(this.ctx)));
    this.update();
    if (moveFocus) queueMicrotask(() => document.getElementById('section-title')?.focus());
    this.actions.run(`load:${id}`, () => instance.load(), (e) => this.ctx.problem(e));
  }

  private pickOffice(id: string): void {
    this.officeId = id;
    this.stranded = [];
    // Every section reads the new office's data when next shown.
    this.instances.clear();
    this.open(this.openId, false);
  }

  private header(): TemplateResult {
    const office = this.offices.find((o) => o.id === this.officeId);
    return html`<header class="top">
      <p class="app">${t('backoffice.title')}</p>
      <div class="office">
        ${mayPickOffice(this.me) && this.offices.length > 0
          ? selectField({
              id: 'office-pick',
              label: t('backoffice.office'),
              value: this.officeId,
              options: this.offices.map((o) => ({ value: o.id, label: o.name })),
              onChange: (v) => this.pickOffice(v),
            })
          : html`<span>${office?.name ?? this.officeId}</span>`}
      </div>
      <div class="who">
        <span>${this.me.displayName}</span>
        ${languagePicker(() => this.reloadOpen())} ${button({ label: t('ui.signOut'), onClick: () => void logout().then(() => location.reload()) })}
      </div>
    </header>`;
  }

  /** After a language change: sections re-read what the host names in the reader's language. */
  private reloadOpen(): void {
    this.instances.clear();
    this.open(this.openId, false);
  }

  private nav(): TemplateResult {
    return html`<nav class="sections" aria-label=${t('backoffice.sections')}>
      <ul>
        ${this.visible().map(
          (s) => html`<li><a href=${`#/${s.id}`} aria-current=${s.id === this.openId ? 'page' : 'false'} data-section=${s.id}>${t(s.titleKey)}</a></li>`,
        )}
      </ul>
    </nav>`;
  }

  private confirmDialog(): TemplateResult | typeof nothing {
    const c = this.confirming;
    if (c === null) return nothing;
    const close = (): void => {
      this.confirming = null;
      this.update();
      const back = this.returnFocus;
      queueMicrotask(() => back?.focus());
    };
    return dialog({
      id: 'confirm',
      title: c.title,
      closeLabel: t('ui.close'),
      onClose: close,
      initialFocus: 'confirm-no',
      body: html`<div class="confirm-text">${c.body}</div>
        <div class="actions">
          ${button({ id: 'confirm-no', label: t('ui.cancel'), onClick: close })}
          ${button({
            id: 'confirm-yes',
            label: c.confirmLabel,
            isPrimary: true,
            onClick: () => {
              close();
              c.onConfirm();
            },
          })}
        </div>`,
    });
  }

  view(): unknown {
    const section = this.visible().find((s) => s.id === this.openId);
    const instance = this.instances.get(this.openId);
    return html`<a class="skip" href="#section-title" @click=${(e: Event) => {
        e.preventDefault();
        document.getElementById('section-title')?.focus();
      }}>${t('backoffice.skip')}</a>
      ${this.header()}
      <div class="layout">
        ${this.nav()}
        <main class="section" data-open=${this.openId} aria-busy=${this.actions.isBusy(`load:${this.openId}`) ? 'true' : 'false'}>
          ${section === undefined
            ? html`<h1 id="section-title" tabindex="-1">${t('backoffice.nothingToSee')}</h1>`
            : html`<h1 id="section-title" tabindex="-1">${t(section.titleKey)}</h1>`}
          <p class=${this.status.isProblem ? 'status problem' : 'status'} role="status">${this.status.text}</p>
          ${instance === undefined ? nothing : instance.view()}
        </main>
      </div>
      ${this.confirmDialog()}`;
  }
}
