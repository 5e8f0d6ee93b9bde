import { html, type TemplateResult } from 'lit-html';
import { currentLang, t } from '../shared/i18n.ts';
import { go } from './actions.ts';
import type { Portal } from './state.ts';
import { daysView, detailsView, servicesView, timesView } from './views/booking.ts';
import { acceptView } from './views/accept.ts';
import { payView } from './views/pay.ts';
import { confirmedView, holdView } from './views/hold.ts';
import { cancelView, confirmView, lookupView, notFoundView } from './views/links.ts';
import { officeFooter, privacyView } from './views/office.ts';
import { backButton, header, heading } from './views/parts.ts';

/** The whole page for the current screen: header, the screen, footer, the live region. */
export function portalView(p: Portal): TemplateResult {
  document.documentElement.lang = currentLang();
  document.title = `${t('portal.brand')} — ${p.state.office?.name ?? p.state.services?.officeName ?? 'Fronta'}`;
  const s = p.state.screen;
  return html`${header(p)}
    <main class=${`portal view-${s.kind}`} data-view=${s.kind}>${screenView(p)}</main>
    ${officeFooter(p)}
    <p id="live" class="sr-only" role="status">${p.state.announcement}</p>`;
}

function screenView(p: Portal): TemplateResult {
  const s = p.state.screen;
  const again = (): TemplateResult => backButton(t('portal.bookAgain'), () => go(p, { kind: 'services' }));
  switch (s.kind) {
    case 'loading':
      return html`${heading(t('portal.title'))}<p role="status">${t('portal.loading')}</p>`;
    case 'failed':
      return notFoundView(p, t('portal.title'), s.message);
    case 'services':
      return servicesView(p);
    case 'days':
      return daysView(p, s);
    case 'times':
      return timesView(p, s);
    case 'details':
      return detailsView(p, s);
    case 'hold':
      return holdView(p, s);
    case 'expired':
      return html`${heading(t('portal.expired.title'))}<p role="alert" class="warn">${t('errors.HOLD_EXPIRED')}</p>${again()}`;
    case 'ruleCancelled':
      return html`${heading(t('portal.ruleCancelled.title'))}<p role="alert" class="warn">${s.message}</p>${again()}`;
    case 'confirm':
      return confirmView(p, s);
    case 'confirmed':
      return confirmedView(p, s.booking);
    case 'pay':
      return payView(p, s);
    case 'cancel':
      return cancelView(p, s);
    case 'accept':
      return acceptView(p, s);
    case 'lookup':
      return lookupView(p, s);
    case 'privacy':
      return privacyView(p);
    default: {
      const never: never = s;
      return never;
    }
  }
}
