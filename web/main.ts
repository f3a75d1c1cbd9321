// The standalone page: every element marked data-figure="playground" gets a live figure, drawn by the
// same view a notebook uses, over its own WebSocket session.

import { SocketModel } from "./model";
import { render } from "./playground/view";
import { AddressWriter, FIGURE_KEYS, formatSetting, readAddress, socketAddress, type Entries } from "./url";
import type { Frame } from "./wire";

function settingsOf(frame: Frame): Entries {
  const settings = (frame.values.settings ?? {}) as Record<string, unknown>;
  return FIGURE_KEYS.filter((key) => key in settings).map((key) => [key, formatSetting(settings[key])]);
}

function start(el: HTMLElement, ownsAddress: boolean): void {
  const address = readAddress();
  // Until the first frame the page's own address is the best account of what to show; after it, the
  // last frame is, so that a reconnection resumes where the student was.
  let settings: Entries = FIGURE_KEYS.flatMap((key) => {
    const value = address.get(key);
    return value === undefined ? [] : [[key, value] as [string, string]];
  });
  const initial: Record<string, unknown> = {};
  if (address.has("speed")) initial.speed = Number(address.get("speed"));
  const model = new SocketModel(() => socketAddress("ws/playground", settings), initial);
  const writer = new AddressWriter();
  const remember = (): void => {
    const frame = model.get("frame") as Frame | undefined;
    if (!frame) return;
    settings = settingsOf(frame);
    const speed = model.get("speed");
    if (ownsAddress) writer.write(speed === undefined ? settings : [...settings, ["speed", String(speed)]]);
  };
  model.on("change:frame", remember);
  model.on("change:speed", remember);
  render({ model, el });
}

function main(): void {
  // One page address, so only the first playground on a page writes its settings there.
  document.querySelectorAll<HTMLElement>('[data-figure="playground"]').forEach((el, index) => start(el, index === 0));
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", main);
else main();
