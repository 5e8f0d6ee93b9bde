import type { SimPayment } from './model.ts';

const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Pounds and pence, as the provider shows the amount it will take. */
const money = (pence: number): string => `£${(pence / 100).toFixed(2)}`;

/**
 * The provider's own card page (what GOV.UK Pay shows at `next_url`): it belongs to the provider,
 * not to Fronta, so it stays in English and plain. One form, so a double click submits twice and
 * the second submit must change nothing.
 */
export function cardPage(p: SimPayment, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Enter card details — Payment simulator</title>
<style>body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem}label{display:block;margin-top:1rem}
input{font-size:1.1rem;padding:.3rem;width:100%;box-sizing:border-box}button{margin-top:1.5rem;font-size:1.1rem;padding:.5rem 1.5rem}
.error{color:#b00;border-left:4px solid #b00;padding-left:.5rem}.amount{font-size:1.6rem}</style></head>
<body><main>
<p>Payment simulator — test cards only</p>
<h1>Enter card details</h1>
<p>${escape(p.description)}</p>
<p class="amount" data-testid="amount">${money(p.amount)}</p>
${error === null ? '' : `<p class="error" role="alert" data-testid="card-error">${escape(error)}</p>`}
<form method="post" action="/secure/${escape(p.id)}">
<label for="card-no">Card number</label><input id="card-no" name="cardNo" inputmode="numeric" autocomplete="cc-number" required>
<label for="expiry">Expiry date (MM/YY)</label><input id="expiry" name="expiry" autocomplete="cc-exp" required>
<label for="cvc">Card security code</label><input id="cvc" name="cvc" inputmode="numeric" autocomplete="cc-csc" required>
<button type="submit" name="action" value="pay" data-testid="pay">Confirm payment</button>
<button type="submit" name="action" value="cancel" formnovalidate data-testid="cancel">Cancel payment</button>
</form>
<p>Test cards: 4444333322221111 succeeds, 4000000000000002 is declined, 4000000000000119 gives an error.</p>
</main></body></html>`;
}

/** What is wrong with the card fields, or null (`nowMs` decides whether the expiry has passed). */
export function cardError(f: { cardNo: string; expiry: string; cvc: string }, nowMs: number): string | null {
  const digits = f.cardNo.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return 'Enter a valid card number';
  const m = /^(\d{2})\s*\/\s*(\d{2})$/.exec(f.expiry.trim());
  if (m === null) return 'Enter a valid expiry date';
  const month = Number(m[1]);
  const year = 2000 + Number(m[2]);
  const now = new Date(nowMs);
  if (month < 1 || month > 12 || year * 12 + month < now.getUTCFullYear() * 12 + now.getUTCMonth() + 1) return 'Enter a valid expiry date';
  if (!/^\d{3,4}$/.test(f.cvc.trim())) return 'Enter a valid card security code';
  return null;
}
