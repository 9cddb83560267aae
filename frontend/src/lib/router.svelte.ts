/**
 * A tiny history-API router: the current location as runes state, `navigate()`,
 * and a document-level click handler that turns same-origin `<a href>` clicks into
 * client-side navigations (so plain links work everywhere, with or without JS routing).
 */
import { resolve, type Route } from './routes';

class Router {
  path = $state(location.pathname);
  search = $state(location.search);
  route: Route = $derived(resolve(this.path));
  /** Incremented on every client-side navigation (not on the first load). */
  navigations = $state(0);

  /** The current path with its query string. */
  get href(): string {
    return this.path + this.search;
  }

  /** A query-string parameter of the current location. */
  param(name: string): string | null {
    return new URLSearchParams(this.search).get(name);
  }

  navigate(href: string, opts: { replace?: boolean } = {}): void {
    const url = new URL(href, location.href);
    if (url.origin !== location.origin) {
      location.assign(url.href);
      return;
    }
    const target = url.pathname + url.search + url.hash;
    if (target === location.pathname + location.search + location.hash) return;
    if (opts.replace) history.replaceState(null, '', target);
    else history.pushState(null, '', target);
    this.sync();
    if (!opts.replace) window.scrollTo(0, 0);
  }

  /** Replaces the query string without adding a history entry (filters, for instance). */
  setQuery(params: Record<string, string | null | undefined>): void {
    const q = new URLSearchParams(this.search);
    for (const [k, v] of Object.entries(params)) {
      if (v) q.set(k, v);
      else q.delete(k);
    }
    const s = q.toString();
    history.replaceState(null, '', this.path + (s ? '?' + s : ''));
    this.search = location.search;
  }

  private sync(): void {
    const changedPath = this.path !== location.pathname;
    this.path = location.pathname;
    this.search = location.search;
    if (changedPath) this.navigations++;
  }

  /** Installs the popstate and link-click listeners; call once at start-up. */
  start(): void {
    window.addEventListener('popstate', () => this.sync());
    document.addEventListener('click', (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const a = (event.target as Element | null)?.closest?.('a');
      if (!a || !a.href || a.target || a.hasAttribute('download') || a.dataset.external !== undefined) return;
      const url = new URL(a.href);
      if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return;
      event.preventDefault();
      this.navigate(url.pathname + url.search + url.hash);
    });
  }
}

export const router = new Router();
