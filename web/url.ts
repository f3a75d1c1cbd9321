// A figure's settings live in the page address, so that a link reproduces what a student saw.
// The server reads the same names from the WebSocket address (protocol.settings_from_query).

/** Settings the server understands, in the order they are written into an address. */
export const FIGURE_KEYS = ["p", "mode", "seed", "dataset", "hidden", "probe", "training", "draw"] as const;
/** Settings that belong to the page alone. */
export const PAGE_KEYS = ["speed"] as const;

const OWN_KEYS: readonly string[] = [...FIGURE_KEYS, ...PAGE_KEYS];
const MIN_WRITE_INTERVAL_MS = 250;

export type Entries = Array<[string, string]>;

/** Lists are written comma-separated (hidden=6,6), as the server reads them. */
export function formatSetting(value: unknown): string {
  return Array.isArray(value) ? value.map(String).join(",") : String(value);
}

// Commas and @ are legal in a query and keep "hidden=6,6&training=800@0.5" readable.
function encode(text: string): string {
  return encodeURIComponent(text).replace(/%2C/gi, ",").replace(/%40/gi, "@");
}

export function encodeQuery(entries: Entries): string {
  return entries.map(([key, value]) => `${encode(key)}=${encode(value)}`).join("&");
}

/** This page's own settings, from its address. */
export function readAddress(search: string = location.search): Map<string, string> {
  const found = new Map<string, string>();
  for (const [key, value] of new URLSearchParams(search)) {
    if (OWN_KEYS.includes(key)) found.set(key, value);
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
 * Writes settings into the address bar with history.replaceState, keeping any parameters that are not
 * ours. A figure may change many times a second while it trains; browsers throttle replaceState, so
 * writes are spaced out and the last one always lands.
 */
export class AddressWriter {
  private entries: Entries | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private last = 0;

  write(entries: Entries): void {
    this.entries = entries;
    if (this.timer !== null) return;
    const wait = Math.max(0, this.last + MIN_WRITE_INTERVAL_MS - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  private flush(): void {
    this.timer = null;
    if (!this.entries) return;
    const others: Entries = [];
    for (const [key, value] of new URLSearchParams(location.search)) {
      if (!OWN_KEYS.includes(key)) others.push([key, value]);
    }
    const search = `?${encodeQuery([...this.entries, ...others])}`;
    this.entries = null;
    if (search === location.search) return;
    this.last = performance.now();
    history.replaceState(history.state, "", `${location.pathname}${search}${location.hash}`);
  }
}
