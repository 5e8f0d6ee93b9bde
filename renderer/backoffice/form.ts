import { html, nothing, type TemplateResult } from 'lit-html';
import { ifDefined } from 'lit-html/directives/if-defined.js';
import { live } from 'lit-html/directives/live.js';
import { ApiFailure } from '../shared/api.ts';
import { t } from '../shared/i18n.ts';
import { errorSummary, type FieldError } from '../shared/ui.ts';

/**
 * A back-office form's errors: the ones the page finds before sending, and the host's answer
 * (`{ error: { code, message, field? } }`) put beside the field it names, all listed in the error
 * summary at the top of the form. Plus the inputs the kit has no part for (select, check box,
 * text area), drawn the kit's way: label, hint, error tied to the input.
 */
export class FormErrors {
  list: FieldError[] = [];
  private readonly summaryId: string;

  /** `fallbackId`: the input a message naming no known field goes beside (the form's first, usually). */
  constructor(private readonly fallbackId: string) {
    this.summaryId = `${fallbackId}-summary`;
  }

  /**
   * The summary takes the focus on every failed submit, not only when it first appears (GOV.UK):
   * after the page has drawn the new messages.
   */
  private focusSummary(): void {
    if (this.list.length > 0) setTimeout(() => document.getElementById(this.summaryId)?.focus(), 0);
  }

  of(fieldId: string): string | undefined {
    return this.list.find((e) => e.fieldId === fieldId)?.message;
  }

  clear(): void {
    this.list = [];
  }

  /** Errors found before sending: true when there are none. */
  check(errors: readonly (FieldError | null)[]): boolean {
    this.list = errors.filter((e): e is FieldError => e !== null);
    this.focusSummary();
    return this.list.length === 0;
  }

  /** What the host refused, beside the field it names (the longest known prefix of its path). */
  fromFailure(e: unknown, fieldIds: Record<string, string> = {}): void {
    const message = e instanceof Error ? e.message : String(e);
    let fieldId = this.fallbackId;
    if (e instanceof ApiFailure && e.field !== undefined) {
      const parts = e.field.split('.');
      for (let n = parts.length; n > 0; n--) {
        const hit = fieldIds[parts.slice(0, n).join('.')];
        if (hit !== undefined) {
          fieldId = hit;
          break;
        }
      }
    }
    this.list = [{ fieldId, message }];
    this.focusSummary();
  }

  summary(): TemplateResult | typeof nothing {
    return errorSummary(t('ui.errorSummary'), this.list, this.summaryId);
  }
}

/** A required text found empty: the error for the summary, or null. */
export const required = (fieldId: string, value: string, label: string): FieldError | null =>
  value.trim() === '' ? { fieldId, message: t('backoffice.form.required', { field: label }) } : null;

interface InputBase {
  id: string;
  label: unknown;
  error?: string | undefined;
  hint?: unknown;
}

const described = (o: InputBase): string | undefined => {
  const ids = [o.hint === undefined ? '' : `${o.id}-hint`, o.error === undefined ? '' : `${o.id}-error`].filter((x) => x !== '');
  return ids.length === 0 ? undefined : ids.join(' ');
};

const head = (o: InputBase): TemplateResult => html`<label for=${o.id}>${o.label}</label>
  ${o.hint === undefined ? nothing : html`<p class="hint" id=${`${o.id}-hint`}>${o.hint}</p>`}
  ${o.error === undefined ? nothing : html`<p class="error-message" id=${`${o.id}-error`}>${o.error}</p>`}`;

export function selectField(o: InputBase & { value: string; options: readonly { value: string; label: string }[]; onChange: (v: string) => void }): TemplateResult {
  return html`<div class=${o.error === undefined ? 'field' : 'field field-error'}>
    ${head(o)}
    <select
      id=${o.id}
      name=${o.id}
      aria-invalid=${o.error === undefined ? 'false' : 'true'}
      aria-describedby=${ifDefined(described(o))}
      @change=${(e: Event) => o.onChange((e.target as HTMLSelectElement).value)}
    >
      ${o.options.map((x) => html`<option value=${x.value} ?selected=${x.value === o.value}>${x.label}</option>`)}
    </select>
  </div>`;
}

export function checkboxField(o: InputBase & { checked: boolean; onChange: (v: boolean) => void }): TemplateResult {
  return html`<div class=${o.error === undefined ? 'field check' : 'field check field-error'}>
    <input
      type="checkbox"
      id=${o.id}
      name=${o.id}
      .checked=${live(o.checked)}
      aria-describedby=${ifDefined(described(o))}
      @change=${(e: Event) => o.onChange((e.target as HTMLInputElement).checked)}
    />
    ${head(o)}
  </div>`;
}

export function textareaField(o: InputBase & { value: string; rows?: number; maxlength?: number; onInput: (v: string) => void }): TemplateResult {
  return html`<div class=${o.error === undefined ? 'field' : 'field field-error'}>
    ${head(o)}
    <textarea
      id=${o.id}
      name=${o.id}
      rows=${o.rows ?? 6}
      maxlength=${ifDefined(o.maxlength)}
      .value=${live(o.value)}
      aria-invalid=${o.error === undefined ? 'false' : 'true'}
      aria-describedby=${ifDefined(described(o))}
      @input=${(e: Event) => o.onInput((e.target as HTMLTextAreaElement).value)}
    ></textarea>
  </div>`;
}

/** A whole number typed in a field, or null when it is not one. */
export function wholeNumber(v: string): number | null {
  const s = v.trim();
  return /^-?\d+$/.test(s) ? Number(s) : null;
}

/** A whole number from `min` to `max` typed in a field: the error for the summary, or null. */
export function numberIn(fieldId: string, value: string, label: string, min: number, max: number): FieldError | null {
  const n = wholeNumber(value);
  return n !== null && n >= min && n <= max ? null : { fieldId, message: t('backoffice.form.wholeBetween', { field: label, min, max }) };
}

/** Submits a form with Enter in a field, without the page reloading. */
export const onSubmit =
  (run: () => void) =>
  (e: Event): void => {
    e.preventDefault();
    run();
  };
