// The standalone page: every element marked data-figure="<name>" gets a live figure, drawn by the same
// view a notebook uses (notebook.ts), over its own WebSocket session; one notice for the whole page says when the
// server is gone, and brings every figure back when it answers again.

import { ServerConnection } from "./connection";
import { FIGURES } from "./figure-list";
import type { FigureDefinition } from "./figures";
import { SocketModel } from "./model";
import { render } from "./notebook";
import { AddressWriter, encodeQuery, formatSetting, readAddress, socketAddress, type Entries } from "./url";
import type { Frame } from "./wire";

function settingsOf(frame: Frame, keys: readonly string[]): Entries {
  const settings = (frame.values.settings ?? {}) as Record<string, unknown>;
  return keys.filter((key) => key in settings).map((key) => [key, formatSetting(settings[key])]);
}

function start(el: HTMLElement, figure: FigureDefinition, ownsAddress: boolean, connection: ServerConnection): void {
  const { prefix, keys, pageKeys } = figure;
  const address = readAddress([...keys, ...pageKeys].map((key) => prefix + key));
  // Until the first frame the page's own address is the best account of what to show; after it, the
  // last frame is, so that a reconnection resumes where the student was.
  let settings: Entries = keys.flatMap((key) => {
    const value = address.get(prefix + key);
    return value === undefined ? [] : [[key, value] as [string, string]];
  });
  // The view names its figure while it connects ("Connecting to the ensemble grid…").
  const initial: Record<string, unknown> = { title: figure.title };
  for (const key of pageKeys) {
    const value = address.get(prefix + key);
    if (value !== undefined) initial[key] = Number.isNaN(Number(value)) ? value : Number(value);
  }
  const inView = (): boolean => {
    const box = el.getBoundingClientRect();
    return box.bottom > 0 && box.top < innerHeight && box.width > 0;
  };
  const model = new SocketModel(() => socketAddress(`ws/${figure.name}`, settings), initial, connection, inView);
  const writer = new AddressWriter([...keys, ...pageKeys].map((key) => prefix + key));
  // A page opened without settings keeps a clean address until the student changes something.
  let writing = address.size > 0;
  let opened: string | null = null;
  const remember = (): void => {
    const frame = model.get("frame") as Frame | undefined;
    if (!frame) return;
    settings = settingsOf(frame, keys);
    if (!ownsAddress) return;
    const own: Entries = [...settings];
    for (const key of pageKeys) {
      const value = model.get(key);
      if (value !== undefined) own.push([key, String(value)]);
    }
    const entries: Entries = own.map(([key, value]) => [prefix + key, value]);
    const text = encodeQuery(entries);
    opened ??= text;
    writing ||= text !== opened;
    if (writing) writer.write(entries);
  };
  model.on("change:frame", remember);
  for (const key of pageKeys) model.on(`change:${key}`, remember);
  figure.render({ model, el });
}

function main(): void {
  // Any small file of the server's answers as soon as it is back; relative, so it works below a proxy path.
  const connection = new ServerConnection(new URL("static/favicon.svg", location.href).href);
  document.body.prepend(connection.element);
  // One page address, so only the first of each figure on a page writes its settings there.
  for (const figure of FIGURES) {
    document
      .querySelectorAll<HTMLElement>(`[data-figure="${figure.name}"]`)
      .forEach((el, index) => start(el, figure, index === 0, connection));
  }
}

// The same bundle is a notebook widget's module (anywidget imports it for its render): only the article page,
// which says so in its head, starts figures of its own.
if (document.querySelector('meta[name="dropout-playground"][content="page"]')) {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
  else main();
}

export default { render };
