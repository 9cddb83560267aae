/** The current time as something components can read reactively: countdowns, "live now" marks. */
import { createSubscriber } from 'svelte/reactivity';

/**
 * `now` is the time in epoch milliseconds; read in a template, `$derived` or `$effect`, it
 * moves on every `stepMs`. The timer runs only while something on screen reads it and
 * stops when the last reader is destroyed.
 */
export class Clock {
  readonly #subscribe: () => void;

  constructor(stepMs: number) {
    this.#subscribe = createSubscriber((update) => {
      const timer = setInterval(update, stepMs);
      return () => clearInterval(timer);
    });
  }

  get now(): number {
    this.#subscribe();
    return Date.now();
  }
}
