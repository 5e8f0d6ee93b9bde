import { canRun, closeDialog, counterActions, dialogChoices, openCounter } from './actions.ts';
import { page, state } from './state.ts';

/**
 * One-key shortcuts (each printed on its button): the actions at the counter, 1–9 for the
 * counter picker and a dialog's choices, ? for the help, Esc to close a dialog (the native
 * dialog's cancel). Keys are ignored while typing in a field.
 */
export function onKey(e: KeyboardEvent): void {
  if (e.ctrlKey || e.altKey || e.metaKey || state.me === null) return;
  const target = e.target as HTMLElement | null;
  const isTyping = target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
  if (isTyping) return;
  const key = e.key.toLowerCase();
  if (state.dialog !== null) {
    if (key === 'escape') {
      closeDialog();
      e.preventDefault();
    } else if (/^[1-9]$/.test(key)) {
      dialogChoices()[Number(key) - 1]?.run();
      e.preventDefault();
    }
    return;
  }
  if (key === '?') {
    state.isHelpOpen = !state.isHelpOpen;
    page.update();
    e.preventDefault();
    return;
  }
  if (state.counterId === null) {
    if (/^[1-9]$/.test(key)) {
      const entry = state.counters[Number(key) - 1];
      if (entry !== undefined && (entry.counter.userId === null || entry.counter.userId === state.me.id)) openCounter(entry.counter.id);
      e.preventDefault();
    }
    return;
  }
  const a = counterActions().find((x) => x.key === key);
  if (a !== undefined && canRun(a)) {
    e.preventDefault();
    a.run();
  }
}
