// Whole pages as they were last rendered for one person, kept while nothing they could show has
// moved: the change feed's generation and the minute (deadlines pass) are the same as when the page
// was made. Bounded by the bytes it holds, least recently used first out. Each page is kept in parts
// cut at its form keys, so every answer gets fresh ones (see src/web/page-cache.ts).

export interface KeptPage {
  generation: number;
  stamp: string;
  /** The page's UTF-8 cut where a form key goes: the answer is the parts joined by fresh keys. */
  parts: Buffer[];
  bytes: number;
}

export class PageStore {
  private readonly pages = new Map<string, KeptPage>();
  private readonly waiting = new Map<string, Promise<void>>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** The page kept under key, if it was made at this generation and stamp. */
  get(key: string, generation: number, stamp: string): KeptPage | undefined {
    const page = this.pages.get(key);
    if (!page) return undefined;
    if (page.generation !== generation || page.stamp !== stamp) {
      this.remove(key);
      return undefined;
    }
    this.pages.delete(key); // re-inserted last: the Map's order is the order of use
    this.pages.set(key, page);
    return page;
  }

  set(key: string, page: Omit<KeptPage, 'bytes'>): void {
    this.remove(key);
    const kept = { ...page, bytes: page.parts.reduce((sum, part) => sum + part.length, 0) };
    if (kept.bytes > this.maxBytes / 4) return; // one page must not push out everything else
    this.pages.set(key, kept);
    this.bytes += kept.bytes;
    for (const [oldest] of this.pages) {
      if (this.bytes <= this.maxBytes) break;
      this.remove(oldest);
    }
  }

  /**
   * Lets the first request for a missing page make it while the others for the same key wait for
   * it (then find it kept), instead of every one of fifty connections rendering the same page.
   * Returns the wait when someone is already making it, or undefined and a `done` to call after.
   */
  makeOnce(key: string): { wait: Promise<void> } | { done: () => void } {
    const running = this.waiting.get(key);
    if (running) return { wait: running };
    let done!: () => void;
    this.waiting.set(key, new Promise<void>((resolve) => (done = resolve)));
    return {
      done: () => {
        this.waiting.delete(key);
        done();
      },
    };
  }

  get size(): { pages: number; bytes: number } {
    return { pages: this.pages.size, bytes: this.bytes };
  }

  private remove(key: string): void {
    const page = this.pages.get(key);
    if (!page) return;
    this.pages.delete(key);
    this.bytes -= page.bytes;
  }
}
