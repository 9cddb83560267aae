/** A one-shot message handed from one page to the next (e.g. "created" after a redirect). */
let pending = '';

export function setFlash(message: string): void {
  pending = message;
}

export function takeFlash(): string {
  const m = pending;
  pending = '';
  return m;
}
