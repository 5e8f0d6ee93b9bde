import { ApiFailure } from '../shared/api.ts';
import { currentLang } from '../shared/i18n.ts';

/**
 * Downloads an export of the host in the page's language (a CSV's separator and decimal mark
 * follow it), under the file name the host gives; a refusal comes back as the host's coded error.
 */
export async function downloadExport(path: string): Promise<void> {
  const res = await fetch(`/api/v1${path}`, { credentials: 'same-origin', headers: { 'accept-language': currentLang() } });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    throw new ApiFailure(res.status, body?.error?.code ?? 'HTTP', body?.error?.message ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'export';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
