import { describe, expect, it } from 'vitest';
import { checkResolved, checkTargetUrl, classifyAddress, parseIpv6, type TargetPolicy } from './address-policy.ts';

const strict: TargetPolicy = { allowPrivate: false, allowLoopback: false };
const privateAllowed: TargetPolicy = { allowPrivate: true, allowLoopback: false };
const testHost: TargetPolicy = { allowPrivate: false, allowLoopback: true };

describe('webhook address policy', () => {
  it('classifies IPv4 addresses: private, loopback, link-local, carrier NAT, reserved, public', () => {
    expect(classifyAddress('10.1.2.3')).toBe('private');
    expect(classifyAddress('172.16.0.1')).toBe('private');
    expect(classifyAddress('172.31.255.255')).toBe('private');
    expect(classifyAddress('172.32.0.1')).toBe('public');
    expect(classifyAddress('192.168.1.10')).toBe('private');
    expect(classifyAddress('100.64.0.1')).toBe('private');
    expect(classifyAddress('127.0.0.1')).toBe('loopback');
    expect(classifyAddress('127.255.0.9')).toBe('loopback');
    expect(classifyAddress('169.254.169.254')).toBe('link_local'); // a cloud's metadata service
    expect(classifyAddress('0.0.0.0')).toBe('unspecified');
    expect(classifyAddress('224.0.0.1')).toBe('multicast');
    expect(classifyAddress('255.255.255.255')).toBe('reserved');
    expect(classifyAddress('192.0.2.7')).toBe('reserved');
    expect(classifyAddress('93.184.216.34')).toBe('public');
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('1.2.3')).toBeNull();
    expect(classifyAddress('01.2.3.4')).toBeNull();
    expect(classifyAddress('example.org')).toBeNull();
  });

  it('classifies IPv6 addresses, reading the IPv4 address inside mapped, compatible, NAT64 and 6to4 ones', () => {
    expect(parseIpv6('2001:db8::1')).toEqual([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1]);
    expect(parseIpv6('::ffff:10.0.0.1')).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001]);
    expect(parseIpv6('1::2::3')).toBeNull();
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('[::1]')).toBe('loopback');
    expect(classifyAddress('::')).toBe('unspecified');
    expect(classifyAddress('fe80::1%eth0')).toBe('link_local');
    expect(classifyAddress('febf::1')).toBe('link_local');
    expect(classifyAddress('fc00::1')).toBe('unique_local');
    expect(classifyAddress('fd12:3456:789a::1')).toBe('unique_local');
    expect(classifyAddress('ff02::1')).toBe('multicast');
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::ffff:7f00:1')).toBe('loopback');
    expect(classifyAddress('::ffff:192.168.0.1')).toBe('private');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('link_local');
    expect(classifyAddress('::ffff:8.8.8.8')).toBe('public');
    expect(classifyAddress('::10.0.0.1')).toBe('private');
    expect(classifyAddress('64:ff9b::10.0.0.1')).toBe('private');
    expect(classifyAddress('2002:c0a8:0101::1')).toBe('private'); // 6to4 of 192.168.1.1
    expect(classifyAddress('2001:db8::1')).toBe('reserved');
    expect(classifyAddress('2a00:1450:4001:80b::200e')).toBe('public');
  });

  it('refuses private, loopback, link-local and unique-local targets unless the admin allowed them', () => {
    for (const url of ['https://10.0.0.5/hook', 'https://192.168.1.1/', 'https://169.254.169.254/latest', 'https://[fd00::1]/', 'https://[fe80::1]/', 'https://127.0.0.1/', 'https://[::ffff:127.0.0.1]/', 'https://localhost/', 'https://printer.localhost/']) {
      expect({ url, r: checkTargetUrl(url, strict) }).toEqual({ url, r: { ok: false, code: 'WEBHOOK_TARGET_PRIVATE' } });
      expect({ url, r: checkTargetUrl(url, privateAllowed).ok }).toEqual({ url, r: true });
    }
    // Never, whoever allows it: not a host at all.
    expect(checkTargetUrl('https://0.0.0.0/', privateAllowed)).toEqual({ ok: false, code: 'WEBHOOK_TARGET_PRIVATE' });
    // The URL parser reads other spellings of an address as the address: they are refused the same.
    expect(checkTargetUrl('https://0x7f.1/', strict)).toEqual({ ok: false, code: 'WEBHOOK_TARGET_PRIVATE' });
    expect(checkTargetUrl('https://2130706433/', strict)).toEqual({ ok: false, code: 'WEBHOOK_TARGET_PRIVATE' });
  });

  it('wants HTTPS, except for loopback under the host test allowance; no credentials in the URL', () => {
    expect(checkTargetUrl('https://hooks.example.org/fronta', strict)).toEqual({ ok: true, url: 'https://hooks.example.org/fronta' });
    expect(checkTargetUrl('http://hooks.example.org/fronta', strict)).toEqual({ ok: false, code: 'WEBHOOK_HTTPS_REQUIRED' });
    expect(checkTargetUrl('http://10.0.0.5/', privateAllowed)).toEqual({ ok: false, code: 'WEBHOOK_HTTPS_REQUIRED' });
    expect(checkTargetUrl('http://127.0.0.1:8099/in', testHost)).toEqual({ ok: true, url: 'http://127.0.0.1:8099/in' });
    expect(checkTargetUrl('http://10.0.0.5/', testHost)).toEqual({ ok: false, code: 'WEBHOOK_TARGET_PRIVATE' });
    expect(checkTargetUrl('https://user:pw@hooks.example.org/', strict)).toEqual({ ok: false, code: 'WEBHOOK_URL_INVALID' });
    expect(checkTargetUrl('ftp://hooks.example.org/', strict)).toEqual({ ok: false, code: 'WEBHOOK_URL_INVALID' });
    expect(checkTargetUrl('not a url', strict)).toEqual({ ok: false, code: 'WEBHOOK_URL_INVALID' });
  });

  it('checks every address a name resolved to at delivery time: one private address refuses the name (DNS rebinding)', () => {
    expect(checkResolved(['93.184.216.34'], strict)).toEqual({ ok: true });
    expect(checkResolved(['93.184.216.34', '10.0.0.7'], strict)).toEqual({ ok: false, refused: '10.0.0.7' });
    expect(checkResolved(['::ffff:192.168.0.1'], strict)).toEqual({ ok: false, refused: '::ffff:192.168.0.1' });
    expect(checkResolved(['fd00::2'], strict)).toEqual({ ok: false, refused: 'fd00::2' });
    expect(checkResolved(['10.0.0.7'], privateAllowed)).toEqual({ ok: true });
    expect(checkResolved(['127.0.0.1'], testHost)).toEqual({ ok: true });
    expect(checkResolved([], strict)).toEqual({ ok: false, refused: '(no address)' });
  });
});
