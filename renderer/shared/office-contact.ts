import { html, nothing, type TemplateResult } from 'lit-html';
import { addressLine, webLabel, type PublicOfficeT } from '../../contracts/office-public.ts';
import { t } from './i18n.ts';

/**
 * The office's address and public contact as pages show them (the portal's footer and privacy
 * page, a ticket's page): the address on one line, the phone as a `tel:` link, the e-mail as a
 * `mailto:` link, the web. Only what the office gave: no empty lines, no labels with nothing after.
 */
export function officeContact(office: PublicOfficeT, testId = 'office-contact'): TemplateResult | typeof nothing {
  const { address, contact } = office;
  if (address === null && contact === null) return nothing;
  const item = (label: string, value: TemplateResult): TemplateResult => html`<li><span class="label">${label}:</span> ${value}</li>`;
  return html`<address class="office-contact" data-testid=${testId}>
    ${address === null ? nothing : html`<p data-testid="office-address">${addressLine(address)}</p>`}
    ${contact === null
      ? nothing
      : html`<ul>
          ${contact.phone === undefined ? nothing : item(t('ui.contact.phone'), html`<a href=${`tel:${telOf(contact.phone)}`} data-testid="office-phone">${contact.phone}</a>`)}
          ${contact.email === undefined ? nothing : item(t('ui.contact.email'), html`<a href=${`mailto:${contact.email}`} data-testid="office-email">${contact.email}</a>`)}
          ${contact.web === undefined ? nothing : item(t('ui.contact.web'), html`<a href=${contact.web} rel="noopener" data-testid="office-web">${webLabel(contact.web)}</a>`)}
        </ul>`}
  </address>`;
}

/** A phone number as a `tel:` link dials it: digits and a leading plus only (`+420 123 456 789` → `+420123456789`). */
const telOf = (phone: string): string => phone.replace(/(?!^\+)[^\d]/g, '');
