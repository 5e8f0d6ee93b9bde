import { html, nothing, type TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import { TICKET_LOGO_MAX_BYTES, TICKET_LOGO_MAX_WIDTH_DOTS, type LogosT } from '../../../contracts/office-config.ts';
import { formatNumber, t } from '../../shared/i18n.ts';
import { field, type FieldError } from '../../shared/ui.ts';
import { checkboxField, numberIn, selectField, type FormErrors } from '../form.ts';
import { fitDots, fromBase64, isBlack, PRINT_BAUD, printSeconds, rasterBytes, toBase64, toRaster, type DotSize } from '../ticket-raster.ts';

/**
 * The ticket logo as the logos page edits it: none, an image the admin picks — drawn in the
 * browser at the printer's dots, cut at a threshold or dithered, previewed dot for dot with its
 * time on a 9600-baud line — or the key of a logo kept in the printer's own memory (NV graphics).
 */

type TicketLogoT = NonNullable<LogosT['ticket']>;

export interface TicketDraft {
  kind: 'none' | 'raster' | 'stored';
  /** The picked image, kept to redraw it when the width, threshold or dithering change. */
  source: HTMLImageElement | null;
  wantWidth: string;
  threshold: string;
  dither: boolean;
  /** The raster as it will print (read from the office, or drawn from `source`). */
  raster: { size: DotSize; data: Uint8Array } | null;
  key: string;
}

/** 80 mm paper at 203 dpi, then 58 mm, then smaller marks. */
const WIDTHS = [TICKET_LOGO_MAX_WIDTH_DOTS, 384, 256, 192, 128, 64];

export function ticketDraft(l: TicketLogoT | null): TicketDraft {
  const base: TicketDraft = { kind: 'none', source: null, wantWidth: '384', threshold: '128', dither: false, raster: null, key: '' };
  if (l === null) return base;
  if (l.kind === 'stored') return { ...base, kind: 'stored', key: l.key };
  return { ...base, kind: 'raster', raster: { size: { widthDots: l.widthDots, heightDots: l.heightDots }, data: fromBase64(l.data) } };
}

/** Draws the picked image at the fitted size and cuts it into dots; null raster when it cannot fit. */
export function redraw(d: TicketDraft): void {
  const img = d.source;
  const threshold = Number(d.threshold);
  if (img === null || !Number.isInteger(threshold) || threshold < 0 || threshold > 255) return;
  const size = fitDots(img.naturalWidth, img.naturalHeight, Number(d.wantWidth));
  if (size === null) return void (d.raster = null);
  const canvas = document.createElement('canvas');
  canvas.width = size.widthDots;
  canvas.height = size.heightDots;
  const g = canvas.getContext('2d');
  if (g === null) return;
  g.drawImage(img, 0, 0, size.widthDots, size.heightDots);
  d.raster = { size, data: toRaster(g.getImageData(0, 0, size.widthDots, size.heightDots).data, size, threshold, d.dither) };
}

/** Reads a picked file as an image (a data: URL: the page's CSP allows no other source). */
export async function readImage(file: File): Promise<HTMLImageElement> {
  const url = await new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result : '');
    r.onerror = () => reject(r.error ?? new Error('read'));
    r.readAsDataURL(file);
  });
  const img = new Image();
  img.src = url;
  await img.decode();
  return img;
}

export function ticketErrors(d: TicketDraft): (FieldError | null)[] {
  if (d.kind === 'stored') return [/^[\x21-\x7e]{2}$/.test(d.key) ? null : { fieldId: 'logo-ticket-key', message: t('backoffice.logos.keyBad') }];
  if (d.kind === 'none') return [];
  return [numberIn('logo-ticket-threshold', d.threshold, t('backoffice.logos.threshold'), 0, 255), d.raster === null ? { fieldId: 'logo-ticket-file', message: t('backoffice.logos.ticketMissing') } : null];
}

export function ticketBody(d: TicketDraft): TicketLogoT | null {
  if (d.kind === 'stored') return { kind: 'stored', key: d.key };
  if (d.kind === 'none' || d.raster === null) return null;
  return { kind: 'raster', ...d.raster.size, data: toBase64(d.raster.data) };
}

/** The raster dot for dot on a canvas: black on the paper's white. */
function paint(canvas: Element | undefined, r: NonNullable<TicketDraft['raster']>): void {
  if (!(canvas instanceof HTMLCanvasElement)) return;
  const { widthDots: w, heightDots: h } = r.size;
  canvas.width = w;
  canvas.height = h;
  const g = canvas.getContext('2d');
  if (g === null) return;
  const img = g.createImageData(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = isBlack(r.data, w, x, y) ? 0 : 255;
      img.data.set([v, v, v, 255], (y * w + x) * 4);
    }
  }
  g.putImageData(img, 0, 0);
}

const preview = (r: NonNullable<TicketDraft['raster']>): TemplateResult => html`<figure class="ticket-logo">
  <canvas id="logo-ticket-preview" role="img" aria-label=${t('backoffice.logos.ticketPreview')} ${ref((c) => paint(c, r))}></canvas>
  <figcaption data-testid="ticket-logo-size">
    ${t('backoffice.logos.ticketSize', {
      width: r.size.widthDots,
      height: r.size.heightDots,
      bytes: formatNumber(rasterBytes(r.size)),
      max: formatNumber(TICKET_LOGO_MAX_BYTES),
      seconds: formatNumber(printSeconds(r.size), { maximumFractionDigits: 2 }),
      baud: PRINT_BAUD,
    })}
  </figcaption>
</figure>`;

export function ticketFields(d: TicketDraft, errors: FormErrors, update: () => void, onFile: (f: File) => void): TemplateResult {
  const change = (): void => (redraw(d), update());
  return html`<fieldset>
    <legend>${t('backoffice.logos.ticket')}</legend>
    <p class="hint">${t('backoffice.logos.ticketHint', { max: formatNumber(TICKET_LOGO_MAX_BYTES), baud: PRINT_BAUD })}</p>
    ${selectField({
      id: 'logo-ticket-kind',
      label: t('backoffice.logos.ticketKind'),
      value: d.kind,
      options: (['none', 'raster', 'stored'] as const).map((k) => ({ value: k, label: t(`backoffice.logos.kind.${k}`) })),
      onChange: (v) => ((d.kind = v === 'raster' || v === 'stored' ? v : 'none'), update()),
    })}
    ${d.kind === 'stored'
      ? field({ id: 'logo-ticket-key', label: t('backoffice.logos.key'), hint: t('backoffice.logos.keyHint'), value: d.key, maxlength: 2, error: errors.of('logo-ticket-key'), onInput: (v) => (d.key = v) })
      : nothing}
    ${d.kind === 'raster'
      ? html`${fileField('logo-ticket-file', t('backoffice.logos.ticketFile'), t('backoffice.logos.ticketFileHint'), 'image/*', errors, onFile)}
          <div class="cols">
            ${selectField({
              id: 'logo-ticket-width',
              label: t('backoffice.logos.width'),
              hint: t('backoffice.logos.widthHint'),
              value: d.wantWidth,
              options: WIDTHS.map((w) => ({ value: String(w), label: t('backoffice.logos.dots', { n: w }) })),
              onChange: (v) => ((d.wantWidth = v), change()),
            })}
            ${field({ id: 'logo-ticket-threshold', inputmode: 'numeric', label: t('backoffice.logos.threshold'), hint: t('backoffice.logos.thresholdHint'), value: d.threshold, maxlength: 3, error: errors.of('logo-ticket-threshold'), onInput: (v) => ((d.threshold = v), change()) })}
          </div>
          ${checkboxField({ id: 'logo-ticket-dither', label: t('backoffice.logos.dither'), hint: t('backoffice.logos.ditherHint'), checked: d.dither, onChange: (v) => ((d.dither = v), change()) })}
          ${d.raster === null ? nothing : preview(d.raster)}`
      : nothing}
  </fieldset>`;
}

/** A file picker drawn the kit's way: label, hint, error tied to the input. */
export function fileField(id: string, label: string, hint: string, accept: string, errors: FormErrors, onFile: (f: File) => void): TemplateResult {
  const error = errors.of(id);
  return html`<div class=${error === undefined ? 'field' : 'field field-error'}>
    <label for=${id}>${label}</label>
    <p class="hint" id=${`${id}-hint`}>${hint}</p>
    ${error === undefined ? nothing : html`<p class="error-message" id=${`${id}-error`}>${error}</p>`}
    <input
      type="file"
      id=${id}
      name=${id}
      accept=${accept}
      aria-invalid=${error === undefined ? 'false' : 'true'}
      aria-describedby=${error === undefined ? `${id}-hint` : `${id}-hint ${id}-error`}
      @change=${(e: Event) => {
        const f = (e.target as HTMLInputElement).files?.[0];
        if (f !== undefined) onFile(f);
      }}
    />
  </div>`;
}
