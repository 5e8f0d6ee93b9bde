/**
 * The hall's voice. Calls are announced strictly one after another, in the order they were
 * made: a chime, then the phrase in each of the office's languages. Nothing is dropped or merged
 * — a burst of ten calls is ten announcements. The speech comes from the host (espeak-ng, WAV);
 * the browser's own speechSynthesis is only the fallback when the host cannot speak.
 */

export interface Announcement {
  /** Event id of the call: the order of announcements. */
  eventId: number;
  number: string;
  counter: string;
  recall: boolean;
}

export interface AnnouncerOptions {
  languages: readonly string[];
  /** Playback speed (1 = normal); a test may speed the hall up. */
  rate: number;
  /** Called when an announcement starts and when it has been spoken. */
  onStart(a: Announcement): void;
  onDone(a: Announcement, how: 'voice' | 'fallback' | 'muted'): void;
}

const SPEECH_LANG: Record<string, string> = { cs: 'cs-CZ', ro: 'ro-RO', 'zh-CN': 'zh-CN', en: 'en-GB' };
const FALLBACK_TEXT: Record<string, (n: string, c: string) => string> = {
  cs: (n, c) => `Lístek ${n}, přepážka ${c}`,
  ro: (n, c) => `Bonul ${n}, ghișeul ${c}`,
  'zh-CN': (n, c) => `请 ${n} 号到 ${c} 号窗口`,
  en: (n, c) => `Ticket ${n}, counter ${c}`,
};

export class Announcer {
  readonly ctx: AudioContext;
  private readonly queue: { a: Announcement; clips: Promise<(AudioBuffer | null)[]> }[] = [];
  private running = false;

  constructor(private readonly opts: AnnouncerOptions) {
    this.ctx = new AudioContext();
  }

  /** True when the browser lets the page play sound (autoplay policy, or a tap unlocked it). */
  get canPlay(): boolean {
    return this.ctx.state === 'running';
  }

  unlock(): Promise<void> {
    return this.ctx.resume();
  }

  enqueue(a: Announcement): void {
    // Fetch (and decode) at once, so the voice is ready when its turn comes even in a burst.
    const clips = Promise.all(this.opts.languages.map((lang) => this.fetchClip(a, lang)));
    this.queue.push({ a, clips });
    void this.drain();
  }

  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  private async fetchClip(a: Announcement, lang: string): Promise<AudioBuffer | null> {
    const q = new URLSearchParams({ lang, number: a.number, counter: a.counter, ...(a.recall ? { recall: '1' } : {}) });
    try {
      const res = await fetch(`/api/v1/announcements/voice?${q.toString()}`, { credentials: 'same-origin' });
      if (!res.ok) return null;
      return await this.ctx.decodeAudioData(await res.arrayBuffer());
    } catch {
      return null;
    }
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
        this.opts.onStart(next.a);
        const clips = await next.clips;
        let how: 'voice' | 'fallback' | 'muted' = 'voice';
        if (!this.canPlay) {
          // Sound is locked (no tap yet, no autoplay flag): show the call, keep the order, don't pile up.
          how = 'muted';
          await sleep(1500 / this.opts.rate);
        } else {
          await this.chime();
          for (let i = 0; i < clips.length; i++) {
            const clip = clips[i];
            if (clip !== null && clip !== undefined) await this.play(clip);
            else {
              how = 'fallback';
              await speakFallback(this.opts.languages[i] ?? 'en', next.a, this.opts.rate);
            }
          }
        }
        this.opts.onDone(next.a, how);
      }
    } finally {
      this.running = false;
    }
  }

  private play(buffer: AudioBuffer): Promise<void> {
    return new Promise((resolve) => {
      const src = this.ctx.createBufferSource();
      src.buffer = buffer;
      src.playbackRate.value = this.opts.rate;
      src.connect(this.ctx.destination);
      // A stalled audio device must not stop the hall: give up a little after the clip's length.
      const guard = setTimeout(resolve, (buffer.duration / this.opts.rate) * 1000 + 1000);
      src.onended = () => {
        clearTimeout(guard);
        resolve();
      };
      src.start();
    });
  }

  /** Two-tone gong (E5 then C5), synthesised: no asset to load. */
  private async chime(): Promise<void> {
    const now = this.ctx.currentTime;
    const r = this.opts.rate;
    for (const [freq, at] of [
      [659.25, 0],
      [523.25, 0.45],
    ] as const) {
      const osc = this.ctx.createOscillator();
      const gain = this.ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, now + at / r);
      gain.gain.exponentialRampToValueAtTime(0.5, now + (at + 0.02) / r);
      gain.gain.exponentialRampToValueAtTime(0.0001, now + (at + 0.9) / r);
      osc.connect(gain).connect(this.ctx.destination);
      osc.start(now + at / r);
      osc.stop(now + (at + 0.95) / r);
    }
    await sleep((1400 / r));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function speakFallback(lang: string, a: Announcement, rate: number): Promise<void> {
  if (!('speechSynthesis' in window)) return sleep(1500 / rate);
  return new Promise((resolve) => {
    const say = FALLBACK_TEXT[lang] ?? FALLBACK_TEXT['en']!;
    const u = new SpeechSynthesisUtterance(say(a.number, a.counter));
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
