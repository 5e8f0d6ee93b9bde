import { render, type RenderOptions } from 'lit-html';

/** What a page's view function may answer: a lit-html template (or nothing). */
export type View = () => unknown;

/**
 * Mounts a page: `view()` renders its state into `root` with lit-html, which patches the DOM in
 * place, so focus, caret and typed values survive every re-render by themselves. The returned
 * `update()` schedules one render per microtask however often it is called in between (a burst
 * of live events costs one patch).
 */
export function mount(root: HTMLElement, view: View, options: RenderOptions = {}): () => void {
  let isScheduled = false;
  const draw = (): void => {
    isScheduled = false;
    render(view(), root, options);
  };
  draw();
  return () => {
    if (isScheduled) return;
    isScheduled = true;
    queueMicrotask(draw);
  };
}
