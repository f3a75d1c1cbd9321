// A figure's settings live in the page address, so that a link reproduces what a student saw. Each
// figure writes its own names there (with its prefix, so that two figures' "p" stay apart); the server
// reads the same names, unprefixed, from the figure's WebSocket address.

// Writes are spaced out; the student's own changes land within a quarter of a second, but a figure that
// changes continuously (its step count, while it trains) is written once a second. Each write costs the
// page more than it looks: Chromium loads the page's icon again after every change of address (about 8 ms
// of the page's time each: at four writes a second, a tenth of what drawing a training figure can use).
const MIN_WRITE_INTERVAL_MS = 250;
const STREAMING_WRITE_INTERVAL_MS = 1000;
const STREAMING_WRITES = 8; // more writes asked for within a second than this: the figure changes continuously

export type Entries = Array<[string, string]>;

/** Lists are written comma-separated (hidden=6,6), as the server reads them. */
export function formatSetting(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}

// Commas, at signs and colons are legal in a query and keep links readable: "hidden=6,6&training=800@0.5",
// "mc.points=-2.6:0.7,0.7:0.8".
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%2C/gi, ",").replace(/%40/gi, "@").replace(/%3A/gi, ":");
}

export function encodeQuery(entries: Entries): string {
  return entries.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}

/** The values of `keys` in the page's address. */
export function readAddress(keys: readonly string[], search: string = location.search): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(search)) {
    if (keys.includes(key)) found.set(key, value);
  }
  return found;
}

/** The address of a figure's WebSocket, relative to the page, so it works below any proxy path. */
export function socketAddress(path: string, settings: Entries, page: string = location.href): string {
  const url = new URL(path, page);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.search = encodeQuery(settings);
  url.hash = "";
  return url.href;
}

/**
 * Writes one figure's settings (`keys`) into the address bar with history.replaceState, keeping every
 * other parameter where it was. A figure may change many times a second while it trains; browsers
 * throttle replaceState, so writes are spaced out (more while a figure streams changes) and the last one
 * always lands.
 */
export class AddressWriter {
  private entries: Entries | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = 0;
  private asked: number[] = []; // when writes were asked for, over the last second

  constructor(private readonly keys: readonly string[]) {}

  write(entries: Entries): void {
    const now = performance.now();
    this.asked = this.asked.filter((at) => now - at < 1000);
    this.asked.push(now);
    this.entries = entries;
    if (this.timer !== null) return;
    const interval = this.asked.length > STREAMING_WRITES ? STREAMING_WRITE_INTERVAL_MS : MIN_WRITE_INTERVAL_MS;
    const wait = Math.max(0, this.last + interval - now);
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    if (!this.entries) return;
    // Our settings go where the first of them was, or at the end.
    const before: Entries = [];
    const after: Entries = [];
    let seenOwn = false;
    for (const [key, value] of new URLSearchParams(location.search)) {
      if (this.keys.includes(key)) seenOwn = true;
      else (seenOwn ? after : before).push([key, value]);
    }
    const search = `?${encodeQuery([...before, ...this.entries, ...after])}`;
    this.entries = null;
    if (search === location.search) return;
    this.last = performance.now();
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }
}
