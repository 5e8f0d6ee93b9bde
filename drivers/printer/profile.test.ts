import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from './profile.ts';

describe('printer profiles', () => {
  it('every file in profiles/ is a valid profile named after its file', async () => {
    const files = (await readdir(new URL('./profiles/', import.meta.url))).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const profile = await loadProfile(file.replace(/\.json$/, ''));
      expect(profile.paper.dots).toBeGreaterThanOrEqual(profile.paper.columns * 8);
    }
  });

  it('has an Epson with a QR engine and cutter, and a clone without', async () => {
    expect(await loadProfile('epson-tm-t20')).toMatchObject({ hasNativeQr: true, hasCutter: true, codePages: { cp852: 18 } });
    expect(await loadProfile('generic-58mm')).toMatchObject({ hasNativeQr: false });
  });

  it('refuses model names that could leave the profile directory', async () => {
    await expect(loadProfile('../package')).rejects.toThrow(/not a valid profile name/);
  });

  it('refuses unknown fields and out-of-range code page numbers', () => {
    const base = { model: 'x', name: 'X', codePages: { cp852: 18, gb18030: 0 }, paper: { widthMm: 80, columns: 48, dots: 576 }, hasCutter: true, hasNativeQr: true, qrModuleDots: 6 };
    expect(parseProfile(base).model).toBe('x');
    expect(() => parseProfile({ ...base, cutter: true })).toThrow(/invalid/);
    expect(() => parseProfile({ ...base, codePages: { cp852: 256, gb18030: 0 } })).toThrow(/invalid/);
  });
});
