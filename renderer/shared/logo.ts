/**
 * The office's screen logo (kiosk, hall display, portal), read as a data: URL so that a screen
 * draws it without a broken image while the office has none (the route answers 204) and the
 * CSP's img-src (`'self' data:`) admits it. The route answers `no-cache` with an ETag: the
 * browser's cache asks again with If-None-Match and an unchanged logo costs a 304, no body.
 * null: the office has no screen logo.
 */
export async function readScreenLogo(officeId: string): Promise<string | null> {
  const res = await fetch(`/api/v1/offices/${encodeURIComponent(officeId)}/logo`, { credentials: 'same-origin' });
  if (res.status !== 200) return null;
  const blob = await res.blob();
  return new Promise<string>((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(typeof r.result === 'string' ? r.result : '');
    r.onerror = () => reject(r.error ?? new Error('logo'));
    r.readAsDataURL(blob);
  });
}

/** Whether a `config:changed` touched the logos (the one change a screen re-reads its logo for). */
export const isLogoChange = (sections: readonly string[]): boolean => sections.includes('logos');
