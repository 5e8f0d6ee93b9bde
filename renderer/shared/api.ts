import type { z } from 'zod';
import { currentLang } from './i18n.ts';

/**
 * A coded answer of the host (`{ error: { code, message, field? } }`), message already in the
 * page's language; `field` names the input it is about, as sent (`checkIn.earlyMin`).
 */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/**
 * Calls the host's API with the page's language (errors come back translated) and parses the
 * answer with the same zod schema the host answers with.
 */
export async function api<S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, schema: S, body?: unknown, headers: Record<string, string> = {}): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      credentials: 'same-origin',
      headers: { 'accept-language': currentLang(), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiFailure(0, 'NETWORK', navigator.onLine ? 'The host cannot be reached.' : 'This computer is offline.');
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = (json as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
    throw new ApiFailure(res.status, err?.code ?? 'HTTP_' + String(res.status), err?.message ?? res.statusText, typeof err?.field === 'string' ? err.field : undefined);
  }
  return schema.parse(json);
}
