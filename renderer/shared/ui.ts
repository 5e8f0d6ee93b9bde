import { html, nothing, type TemplateResult } from 'lit-html';
import { classMap } from 'lit-html/directives/class-map.js';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { live } from 'lit-html/directives/live.js';
import { ref } from 'lit-html/directives/ref.js';

/**
 * The kit: the parts every page is made of. Each is a function of its options answering a
 * lit-html template; state stays in the page, these hold none.
 */

export interface ButtonOptions {
  label: unknown;
  onClick: () => void;
  /** One key that runs it (shown as a hint, announced as aria-keyshortcuts); the page binds it. */
  key?: string;
  isPrimary?: boolean;
  isDisabled?: boolean;
  /** Its request is out: inert, and said so to assistive technology. */
  isBusy?: boolean;
  id?: string;
  className?: string;
  /** Extra accessible name where the label is a picture or a number. */
  ariaLabel?: string;
  /** 'submit' for a form's default button (Enter in a field submits; inert while busy). Default 'button'. */
  type?: 'button' | 'submit';
}

export function button(o: ButtonOptions): TemplateResult {
  const key = o.key?.toUpperCase();
  return html`<button
    type=${o.type ?? 'button'}
    id=${ifDefined(o.id)}
    class=${classMap({ primary: o.isPrimary === true, [o.className ?? '']: o.className !== undefined })}
    ?disabled=${o.isDisabled === true || o.isBusy === true}
    aria-busy=${o.isBusy === true ? 'true' : 'false'}
    aria-keyshortcuts=${ifDefined(key)}
    aria-label=${ifDefined(o.ariaLabel)}
    @click=${o.onClick}
  >${o.label}${key === undefined ? nothing : html`<kbd aria-hidden="true">${key}</kbd>`}</button>`;
}

export interface FieldOptions {
  id: string;
  label: unknown;
  value: string;
  onInput: (value: string) => void;
  error?: string | undefined;
  hint?: unknown;
  type?: 'text' | 'password' | 'email' | 'tel' | 'date' | 'time' | 'number' | 'search';
  autocomplete?: string;
  inputmode?: 'text' | 'numeric' | 'tel' | 'email' | 'decimal';
  isRequired?: boolean;
  maxlength?: number;
  className?: string;
}

/** A labelled input with its hint and error text tied to it (aria-describedby), GOV.UK style. */
export function field(o: FieldOptions): TemplateResult {
  const described = [o.hint === undefined ? '' : `${o.id}-hint`, o.error === undefined || o.error === '' ? '' : `${o.id}-error`].filter((x) => x !== '').join(' ');
  const hasError = o.error !== undefined && o.error !== '';
  return html`<div class=${classMap({ field: true, 'field-error': hasError, [o.className ?? '']: o.className !== undefined })}>
    <label for=${o.id}>${o.label}</label>
    ${o.hint === undefined ? nothing : html`<p class="hint" id=${`${o.id}-hint`}>${o.hint}</p>`}
    ${hasError ? html`<p class="error-message" id=${`${o.id}-error`}>${o.error}</p>` : nothing}
    <input
      id=${o.id}
      name=${o.id}
      type=${o.type ?? 'text'}
      .value=${live(o.value)}
      autocomplete=${ifDefined(o.autocomplete)}
      inputmode=${ifDefined(o.inputmode)}
      maxlength=${ifDefined(o.maxlength)}
      ?required=${o.isRequired === true}
      aria-invalid=${hasError ? 'true' : 'false'}
      aria-describedby=${ifDefined(described === '' ? undefined : described)}
      @input=${(e: Event) => o.onInput((e.target as HTMLInputElement).value)}
    />
  </div>`;
}

export interface FieldError {
  /** The id of the field the message is about (its link moves the focus there). */
  fieldId: string;
  message: string;
}

const focusOnArrival = new WeakSet<Element>();

/**
 * The error summary at the top of a form (GOV.UK pattern): it takes the focus when it appears,
 * so a screen reader reads it, and each message links to its field.
 */
export function errorSummary(title: string, errors: readonly FieldError[], id?: string): TemplateResult | typeof nothing {
  if (errors.length === 0) return nothing;
  return html`<div
    id=${ifDefined(id)}
    class="error-summary"
    role="alert"
    tabindex="-1"
    ${ref((node) => {
      if (node === undefined || focusOnArrival.has(node)) return;
      focusOnArrival.add(node);
      // A new summary is committed before lit-html inserts it: it takes the focus once inserted.
      const take = (): void => (node as HTMLElement).focus();
      if (node.isConnected) take();
      else queueMicrotask(take);
    })}
  >
    <h2>${title}</h2>
    <ul>
      ${errors.map(
        (e) => html`<li>
          <a
            href=${`#${e.fieldId}`}
            @click=${(ev: Event) => {
              ev.preventDefault();
              document.getElementById(e.fieldId)?.focus();
            }}
            >${e.message}</a
          >
        </li>`,
      )}
    </ul>
  </div>`;
}

export interface DialogOptions {
  title: unknown;
  body: unknown;
  /** Escape, the close button, or a click on the backdrop. */
  onClose: () => void;
  closeLabel: string;
  id?: string;
  className?: string;
  /** The id of the element that takes the focus on opening (default: the first focusable one). */
  initialFocus?: string;
}

/**
 * A modal dialog: the native <dialog> opened with showModal(), which makes the rest of the page
 * inert (the focus stays inside) and draws the backdrop. Rendered only while open.
 */
export function dialog(o: DialogOptions): TemplateResult {
  const titleId = `${o.id ?? 'dialog'}-title`;
  return html`<dialog
    id=${ifDefined(o.id)}
    class=${o.className ?? ''}
    aria-labelledby=${titleId}
    ${ref((node) => {
      const d = node as HTMLDialogElement | undefined;
      if (d === undefined) return;
      // A new dialog is committed before lit-html inserts it: it opens once it is in the document.
      const open = (): void => {
        if (d.open || !d.isConnected) return;
        d.showModal();
        if (o.initialFocus !== undefined) document.getElementById(o.initialFocus)?.focus();
      };
      if (d.isConnected) open();
      else queueMicrotask(open);
    })}
    @cancel=${(e: Event) => {
      e.preventDefault();
      o.onClose();
    }}
    @click=${(e: MouseEvent) => {
      if (e.target === e.currentTarget) o.onClose();
    }}
  >
    <div class="dialog-body">
      <header class="dialog-head">
        <h2 id=${titleId}>${o.title}</h2>
        <button type="button" class="dialog-close" aria-label=${o.closeLabel} @click=${o.onClose}>×</button>
      </header>
      ${o.body}
    </div>
  </dialog>`;
}

/**
 * Requests in flight by name. A second press of a button whose request is out does nothing, and
 * the button is drawn inert (`isBusy`) until the answer is in: a double tap never sends twice.
 */
export class Actions {
  private readonly running = new Set<string>();

  constructor(private readonly update: () => void) {}

  isBusy(name?: string): boolean {
    return name === undefined ? this.running.size > 0 : this.running.has(name);
  }

  /** Runs `work` unless `name` is running already; `onError` gets what it threw. */
  run(name: string, work: () => Promise<void>, onError: (e: unknown) => void): void {
    if (this.running.has(name)) return;
    this.running.add(name);
    this.update();
    work()
      .catch(onError)
      .finally(() => {
        this.running.delete(name);
        this.update();
      });
  }
}
