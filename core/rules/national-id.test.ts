import { describe, expect, it } from 'vitest';
import { normaliseIdentityKey, normaliseName } from '../codes.ts';
import { holdsCnp, isCnp } from './national-id.ts';

describe('national ID numbers (Romanian CNP)', () => {
  it('accepts a CNP with its check digit (weights 279146358279), a real month and day', () => {
    for (const cnp of ['1850101123451', '2981231400125', '5000615120018', '1900215406785']) expect(isCnp(cnp), cnp).toBe(true);
  });

  it('refuses a wrong check digit, an impossible date, a leading 0 and other lengths', () => {
    expect(isCnp('1850101123452')).toBe(false); // check digit off by one
    expect(isCnp('1851301123451')).toBe(false); // month 13
    expect(isCnp('1850100123451')).toBe(false); // day 0
    expect(isCnp('0850101123451')).toBe(false);
    expect(isCnp('185010112345')).toBe(false);
    expect(isCnp('18501011234510')).toBe(false);
  });

  it('finds one in any text, written with spaces, dots or dashes; not inside a longer number', () => {
    expect(holdsCnp('Ion Popescu 1850101123451')).toBe(true);
    expect(holdsCnp('1 850101 123451')).toBe(true);
    expect(holdsCnp('cnp-1850-101-123-451')).toBe(true);
    expect(holdsCnp('+401850101123451')).toBe(false); // 15 digits: a phone number, not a CNP
    expect(holdsCnp('WVWZZZ1JZXW000001')).toBe(false);
    expect(holdsCnp('Ion Popescu')).toBe(false);
  });
});

describe('names and identity keys as typed', () => {
  it('normalises names in all capitals (or all small letters) to capitalised words; mixed case is kept', () => {
    expect(normaliseName('JAN NOVÁK')).toBe('Jan Novák');
    expect(normaliseName('  ION   POPESCU-IONESCU ')).toBe('Ion Popescu-Ionescu');
    expect(normaliseName('ștefan cel mare')).toBe('Ștefan Cel Mare');
    expect(normaliseName('Anne-Marie de la Tour')).toBe('Anne-Marie de la Tour');
    expect(normaliseName('王小明')).toBe('王小明');
  });

  it('compares identity keys without case, spaces or dashes', () => {
    expect(normaliseIdentityKey(' wvw-zzz 1jz xw 000001 ')).toBe('WVWZZZ1JZXW000001');
  });
});
