import { describe, expect, it } from 'vitest';
import { normaliseIdentityKey, normaliseName } from '../booking/codes.ts';
import { holdsChineseId, holdsCnp, holdsNationalId, holdsRodneCislo, isChineseId, isCnp, isRodneCislo } from './national-id.ts';

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

describe('Czech birth numbers (rodné číslo)', () => {
  it('accepts ten digits divisible by 11 with a date that exists: men, women (+50), and from 2004 the +20 and +70 months', () => {
    for (const rc of ['8557149315', '8001011238', '0452150017', '0422150014', '0472150019']) expect(isRodneCislo(rc), rc).toBe(true);
  });

  it('accepts the exception: first nine digits leaving 10, check digit 0', () => {
    for (const rc of ['7351011020', '8003121050', '7955121010']) expect(isRodneCislo(rc), rc).toBe(true);
    expect(isRodneCislo('7351011021')).toBe(false);
  });

  it('refuses a wrong check digit, an impossible date, +20 months before 2004, other lengths', () => {
    expect(isRodneCislo('8557149316')).toBe(false);
    expect(isRodneCislo('8502301236')).toBe(false); // 30 February
    expect(isRodneCislo('8513141230')).toBe(false); // month 13
    expect(isRodneCislo('9922150018')).toBe(false); // month 22 in 1999
    expect(isRodneCislo('85571493150')).toBe(false);
    expect(isRodneCislo('5401011')).toBe(false);
  });

  it('finds one with or without the slash; the nine-digit form (before 1954) only written with it', () => {
    expect(holdsRodneCislo('Jana Nováková 855714/9315')).toBe(true);
    expect(holdsRodneCislo('855714 / 9315')).toBe(true);
    expect(holdsRodneCislo('8557149315')).toBe(true);
    expect(holdsRodneCislo('rč. 480101/123')).toBe(true);
    expect(holdsRodneCislo('480101123')).toBe(false);
    expect(holdsRodneCislo('540101/123')).toBe(false); // nine digits exist only before 1954
    expect(holdsRodneCislo('480101/1234')).toBe(false); // ten digits, wrong check
    expect(holdsRodneCislo('855714/9316')).toBe(false);
    expect(holdsRodneCislo('WVWZZZ1JZXW000001')).toBe(false);
  });

  it('phone numbers read as birth numbers: why the phone field is never searched', () => {
    expect(holdsRodneCislo('251 012 345')).toBe(false); // a Prague landline: a date, but nine digits without the slash
    expect(holdsRodneCislo('0712 050 009')).toBe(true); // a Romanian mobile passes the ten-digit rule
  });
});

describe('Chinese resident identity numbers', () => {
  it('accepts 18 characters with an existing birth date and the MOD 11-2 check character, X included', () => {
    for (const id of ['11010519491231002X', '11010519491231002x', '440106199003073317', '510108200002291239']) expect(isChineseId(id), id).toBe(true);
  });

  it('refuses a wrong check character, an impossible date, other lengths', () => {
    expect(isChineseId('110105194912310021')).toBe(false);
    expect(isChineseId('510108200102291236')).toBe(false); // 29 February 2001
    expect(isChineseId('110105189912310023')).toBe(false); // born 1899
    expect(isChineseId('11010519491231002')).toBe(false);
    expect(isChineseId('1101051949123100211')).toBe(false);
  });

  it('finds one in a name or a key, spaced or not; not inside a longer number or a VIN', () => {
    expect(holdsChineseId('王小明 11010519491231002X')).toBe(true);
    expect(holdsChineseId('王小明11010519491231002X')).toBe(true);
    expect(holdsChineseId('110105 19491231 002X')).toBe(true);
    expect(holdsChineseId('911010519491231002X')).toBe(false);
    expect(holdsChineseId('LSVAU2180N2183294')).toBe(false);
  });
});

describe('any national ID', () => {
  it('CNP, rodné číslo or Chinese number in one text; plain names, VINs and e-mail parts pass', () => {
    for (const t of ['Ion 1850101123451', 'Jana 855714/9315', '11010519491231002X']) expect(holdsNationalId(t), t).toBe(true);
    for (const t of ['Jana Nováková', 'WVWZZZ1JZXW000001', 'jana.novakova85', '王小明', 'Ion Popescu-Ionescu']) expect(holdsNationalId(t), t).toBe(false);
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
