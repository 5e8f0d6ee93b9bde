/**
 * The hall's sound parts: the gong, a clip played at a given speed, and the browser's own speech
 * as the fallback when the host cannot speak. Every wait is bounded: a stalled audio device must
 * not stop the announcements.
 */

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const SPEECH_LANG: Record<string, string> = { cs: 'cs-CZ', ro: 'ro-RO', 'zh-CN': 'zh-CN', en: 'en-GB' };
const FALLBACK_TEXT: Record<string, (n: string, c: string) => string> = {
  cs: (n, c) => `Lístek ${n}, přepážka ${c}`,
  ro: (n, c) => `Bonul ${n}, ghișeul ${c}`,
  'zh-CN': (n, c) => `请 ${n} 号到 ${c} 号窗口`,
  en: (n, c) => `Ticket ${n}, counter ${c}`,
};

export function play(ctx: AudioContext, buffer: AudioBuffer, rate: number): Promise<void> {
  return new Promise((resolve) => {
    const src = ctx.createBufferSource();
    src.buffer = buffer;
    src.playbackRate.value = rate;
    src.connect(ctx.destination);
    const guard = setTimeout(resolve, (buffer.duration / rate) * 1000 + 1000);
    src.onended = () => {
      clearTimeout(guard);
      resolve();
    };
    src.start();
  });
}

/** Two-tone gong (E5 then C5), synthesised: no asset to load. */
export async function chime(ctx: AudioContext, rate: number): Promise<void> {
  const now = ctx.currentTime;
  for (const [freq, at] of [
    [659.25, 0],
    [523.25, 0.45],
  ] as const) {
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, now + at / rate);
    gain.gain.exponentialRampToValueAtTime(0.5, now + (at + 0.02) / rate);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + (at + 0.9) / rate);
    osc.connect(gain).connect(ctx.destination);
    osc.start(now + at / rate);
    osc.stop(now + (at + 0.95) / rate);
  }
  await sleep(1400 / rate);
}

export function speakFallback(lang: string, number: string, counter: string, rate: number): Promise<void> {
  if (!('speechSynthesis' in window)) return sleep(1500 / rate);
  return new Promise((resolve) => {
    const say = FALLBACK_TEXT[lang] ?? FALLBACK_TEXT['en']!;
    const u = new SpeechSynthesisUtterance(say(number, counter));
    u.lang = SPEECH_LANG[lang] ?? 'en-GB';
    u.rate = Math.min(rate, 10);
    const guard = setTimeout(resolve, 8000);
    u.onend = u.onerror = () => {
      clearTimeout(guard);
      resolve();
    };
    speechSynthesis.speak(u);
  });
}
