/**
 * Whether this host may run the office's background work now (webhook deliveries today). One
 * host on SQLite always may. Several hosts on one PostgreSQL must not all deliver: this is the one
 * place where a lease (a row holding an owner and an expiry, renewed while held, taken over when
 * it lapses) is to be checked, and everything that must run once across hosts asks it before
 * each pass.
 */
export function mayRunBackgroundWork(): boolean {
  return true;
}
