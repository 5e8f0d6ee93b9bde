/**
 * Where a webhook may be sent. A webhook must not become a way to probe the office's own network,
 * so private, loopback, link-local and unique-local targets are refused unless an admin allowed
 * them for the subscription — checked on the URL when it is saved and again on every address its
 * name resolves to when a delivery goes out (a name may resolve elsewhere later: DNS rebinding).
 */

export type AddressClass = 'public' | 'loopback' | 'private' | 'link_local' | 'unique_local' | 'unspecified' | 'multicast' | 'reserved';

export interface TargetPolicy {
  /** The subscription's admin allowed private, loopback, link-local and unique-local targets. */
  allowPrivate: boolean;
  /** The host runs with an explicit test or demo allowance: loopback targets, also over plain HTTP. */
  allowLoopback: boolean;
}

export type TargetRefusal = 'WEBHOOK_URL_INVALID' | 'WEBHOOK_HTTPS_REQUIRED' | 'WEBHOOK_TARGET_PRIVATE';

/** Four octets of a dotted IPv4 address; null when it is not one. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const octets = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : NaN));
  return octets.every((o) => o >= 0 && o <= 255) ? octets : null;
}

/** Eight 16-bit groups of an IPv6 address (a zone `%eth0` is ignored, an IPv4 tail read); null when it is not one. */
export function parseIpv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (!s.includes(':')) return null;
  // An IPv4 tail (::ffff:10.0.0.1) is two groups written the IPv4 way.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string): number[] | null => {
    if (h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-f]{1,4}$/i.test(x)) ? g.map((x) => parseInt(x, 16)) : null;
  };
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if (head === null || rest === null) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const missing = 8 - head.length - rest.length;
  if (missing < 1) return null;
  return [...head, ...new Array<number>(missing).fill(0), ...rest];
}

function classifyIpv4([a, b, c]: number[]): AddressClass {
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  // Carrier-grade NAT space is somebody's inside network too.
  if (a === 100 && b! >= 64 && b! <= 127) return 'private';
  if (a === 169 && b === 254) return 'link_local';
  if (a! >= 224 && a! <= 239) return 'multicast';
  if (a! >= 240) return 'reserved';
  if ((a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved';
  return 'public';
}

const v4Of = (hi: number, lo: number): number[] => [hi >> 8, hi & 255, lo >> 8, lo & 255];

function classifyIpv6(g: number[]): AddressClass {
  const zeroUntil = (n: number): boolean => g.slice(0, n).every((x) => x === 0);
  if (zeroUntil(8)) return 'unspecified';
  if (zeroUntil(7) && g[7] === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) reach the IPv4 address inside.
  if (zeroUntil(5) && g[5] === 0xffff) return classifyIpv4(v4Of(g[6]!, g[7]!));
  if (zeroUntil(6)) return classifyIpv4(v4Of(g[6]!, g[7]!));
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyIpv4(v4Of(g[6]!, g[7]!));
  // 6to4 carries an IPv4 address in its second and third groups.
  if (g[0] === 0x2002) return classifyIpv4(v4Of(g[1]!, g[2]!));
  const first = g[0]!;
  if ((first & 0xffc0) === 0xfe80) return 'link_local';
  if ((first & 0xffc0) === 0xfec0) return 'private'; // site-local, deprecated but still routed inside some networks
  if ((first & 0xfe00) === 0xfc00) return 'unique_local';
  if ((first & 0xff00) === 0xff00) return 'multicast';
  // Documentation, Teredo (tunnels to anywhere) and the discard prefix.
  if ((first === 0x2001 && (g[1] === 0x0db8 || g[1] === 0)) || (first === 0x100 && g[1] === 0 && g[2] === 0 && g[3] === 0)) return 'reserved';
  return 'public';
}

/** The class of an IP address literal; null when the text is not one. */
export function classifyAddress(ip: string): AddressClass | null {
  const v4 = parseIpv4(ip);
  if (v4 !== null) return classifyIpv4(v4);
  const v6 = parseIpv6(ip);
  return v6 === null ? null : classifyIpv6(v6);
}

const PRIVATE_CLASSES: ReadonlySet<AddressClass> = new Set(['loopback', 'private', 'link_local', 'unique_local']);

/** Whether one resolved (or literal) address may be sent to under the policy. */
export function addressAllowed(cls: AddressClass, policy: TargetPolicy): boolean {
  if (cls === 'public') return true;
  if (cls === 'loopback' && policy.allowLoopback) return true;
  return PRIVATE_CLASSES.has(cls) && policy.allowPrivate;
}

const isLocalhostName = (host: string): boolean => host === 'localhost' || host.endsWith('.localhost');

/**
 * The URL as saved: http(s), no credentials, HTTPS unless it is a loopback target under the
 * host's test allowance, and no refused address if the host is an address literal. Names are
 * checked again, resolved, at every delivery (`checkResolved`).
 */
export function checkTargetUrl(text: string, policy: TargetPolicy): { ok: true; url: string } | { ok: false; code: TargetRefusal } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, code: 'WEBHOOK_URL_INVALID' };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username !== '' || url.password !== '' || url.hostname === '' || text.length > 2000) {
    return { ok: false, code: 'WEBHOOK_URL_INVALID' };
  }
  url.hash = '';
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const cls: AddressClass | null = classifyAddress(host) ?? (isLocalhostName(host) ? 'loopback' : null);
  if (cls !== null && !addressAllowed(cls, policy)) return { ok: false, code: 'WEBHOOK_TARGET_PRIVATE' };
  if (url.protocol === 'http:' && !(cls === 'loopback' && policy.allowLoopback)) return { ok: false, code: 'WEBHOOK_HTTPS_REQUIRED' };
  return { ok: true, url: url.toString() };
}

/** At delivery: every address the target's name resolved to must be allowed (else nothing is sent). */
export function checkResolved(addresses: readonly string[], policy: TargetPolicy): { ok: true } | { ok: false; refused: string } {
  if (addresses.length === 0) return { ok: false, refused: '(no address)' };
  for (const a of addresses) {
    const cls = classifyAddress(a);
    if (cls === null || !addressAllowed(cls, policy)) return { ok: false, refused: a };
  }
  return { ok: true };
}
