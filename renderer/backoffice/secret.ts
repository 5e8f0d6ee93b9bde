import { html, nothing, type TemplateResult } from 'lit-html';
import { ref } from 'lit-html/directives/ref.js';
import { t } from '../shared/i18n.ts';
import { button } from '../shared/ui.ts';

/**
 * A secret the host shows once (a generated password, a device's pairing token): in a box that
 * takes the focus when it appears, says it will not be shown again, and goes on "Done".
 */
export interface Secret {
  title: string;
  value: string;
}

const focused = new WeakSet<Element>();

export function secretBox(s: Secret | null, onDone: () => void): TemplateResult | typeof nothing {
  if (s === null) return nothing;
  return html`<section
    class="card shown-once"
    tabindex="-1"
    aria-labelledby="secret-title"
    data-testid="secret"
    ${ref((node) => {
      if (node === undefined || focused.has(node)) return;
      focused.add(node);
      queueMicrotask(() => (node as HTMLElement).focus());
    })}
  >
    <h2 id="secret-title">${s.title}</h2>
    <p class="secret" data-testid="secret-value">${s.value}</p>
    <p class="hint">${t('backoffice.shownOnce')}</p>
    ${button({ label: t('backoffice.done'), onClick: onDone })}
  </section>`;
}
