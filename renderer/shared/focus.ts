/**
 * Replaces `root`'s children and gives the focus back to the element with the same id, caret
 * included: the pages re-render on live events, often while someone is typing.
 */
export function replaceKeepingFocus(root: HTMLElement, children: readonly Node[]): void {
  const active = document.activeElement;
  const id = active?.id ?? '';
  const field = active instanceof HTMLTextAreaElement || (active instanceof HTMLInputElement && active.type === 'text') ? active : null;
  const caret = field === null ? null : ([field.selectionStart, field.selectionEnd] as const);
  root.replaceChildren(...children);
  if (id === '') return;
  const again = document.getElementById(id);
  again?.focus();
  if (caret !== null && (again instanceof HTMLInputElement || again instanceof HTMLTextAreaElement)) again.setSelectionRange(caret[0], caret[1]);
}
