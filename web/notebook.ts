// A figure in a notebook: anywidget's model, held by the kernel's widget (dropout_playground/widget.py),
// seen through the interface every view is written against. The kernel's frames arrive as bytes in the
// "frame" trait and are decoded here, as the page decodes its WebSocket's; commands and the kernel's
// errors travel as custom messages, as on the page. The view tells the kernel which frame it has drawn
// (its number, from the "frame_number" trait), so that a figure playing in the kernel sends no faster than
// the view draws.

import { FIGURES } from "./figure-list";
import { Listeners, type Listener, type WidgetModel } from "./model";
import { decodeFrame, type Frame } from "./wire";

/** What anywidget gives a view: its model, with anywidget's own signatures. */
export interface AnyModel {
  get(name: string): unknown;
  set(name: string, value: unknown): void;
  save_changes(): void;
  on(event: string, callback: Listener): void;
  off(event?: string | null, callback?: Listener | null): void;
  send(content: unknown, callbacks?: unknown, buffers?: unknown): void;
}

const ROOT_CLASS = "dp-widget"; // the stylesheet's rules apply within it only (widget.py, scoped_css)
const DRAWN = "drawn";
// How many views each widget (by its key) has open: a widget can be shown in several cells at once.
const openViews = new Map<string, number>();

function bytesOf(value: unknown): ArrayBuffer | null {
  if (value instanceof ArrayBuffer) return value;
  if (ArrayBuffer.isView(value)) {
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    return bytes.slice().buffer; // the frame's own copy: its arrays are views into it
  }
  return null;
}

class NotebookModel implements WidgetModel {
  private readonly local = new Map<string, unknown>();
  private readonly listeners = new Listeners();
  private frame: Frame | undefined;
  private silent = false;
  // The settings this view's last "set" changed, until its answer comes.
  private settingsSent: { id: number; names: string[] } | null = null;
  private readonly onFrame = (): void => {
    this.decode();
    this.echoSettings();
    this.emit("change:frame", this.frame);
  };
  private readonly onCustom = (content: unknown): void => this.emit("msg:custom", content);

  constructor(private readonly model: AnyModel) {
    this.decode();
    model.on("change:frame", this.onFrame);
    model.on("msg:custom", this.onCustom);
  }

  get(name: string): unknown {
    if (name === "frame") return this.frame;
    return this.local.has(name) ? this.local.get(name) : this.model.get(name);
  }

  /** What the view keeps for itself (its speeds): kept in this view, not sent to the kernel. */
  set(name: string, value: unknown): void {
    if (this.local.get(name) === value) return;
    this.local.set(name, value);
    this.emit(`change:${name}`, value);
  }

  save_changes(): void {}

  on(event: string, callback: Listener): void {
    this.listeners.on(event, callback);
  }

  off(event?: string | null, callback?: Listener | null): void {
    this.listeners.off(event, callback);
  }

  send(content: unknown): void {
    if (this.silent) return;
    this.model.send(content);
    const command = content as { type?: unknown; id?: unknown };
    if (command.type === "set" && typeof command.id === "number") {
      const names = Object.keys(content as object).filter((name) => name !== "type" && name !== "id");
      this.settingsSent = { id: command.id, names };
    }
  }

  /** The frame this view has drawn last. */
  drawn(): void {
    this.model.send({ type: DRAWN, frame: this.model.get("frame_number") });
  }

  /** Send nothing more: what this view does as it closes (its Play stopping) is its own, while other views
   * of the same widget still show it. */
  silence(): void {
    this.silent = true;
  }

  dispose(): void {
    this.model.off("change:frame", this.onFrame);
    this.model.off("msg:custom", this.onCustom);
    this.listeners.off();
  }

  /** The student's own change, once the kernel has carried it out, set on the model's traits from this view:
   * hosts that rerun what depends on a widget when its view changes it (marimo) hear it. The kernel finds the
   * value it already has, and carries out nothing more. */
  private echoSettings(): void {
    const sent = this.settingsSent;
    const frame = this.frame;
    if (!sent || !frame || frame.id === null || frame.id < sent.id) return;
    this.settingsSent = null;
    if (frame.id !== sent.id) return; // a later command's answer: that command's own settings are newer
    const settings = (frame.values.settings ?? {}) as Record<string, unknown>;
    let changed = false;
    for (const name of sent.names) {
      const value = settings[name];
      if (value === undefined || JSON.stringify(this.model.get(name)) === JSON.stringify(value)) continue;
      this.model.set(name, value);
      changed = true;
    }
    if (changed) this.model.save_changes();
  }

  private decode(): void {
    const bytes = bytesOf(this.model.get("frame"));
    if (!bytes || bytes.byteLength === 0) return;
    try {
      this.frame = decodeFrame(bytes);
    } catch (error) {
      this.emit("msg:custom", { type: "error", message: `a frame could not be read: ${String(error)}`, id: null });
    }
  }

  private emit(event: string, ...args: unknown[]): void {
    this.listeners.emit(event, ...args);
  }
}

/** Focus the nearest element around the figure that takes the focus, or none. */
function leaveFigure(root: HTMLElement): void {
  const around = root.parentElement?.closest<HTMLElement>("[tabindex]");
  if (around) around.focus();
  else (document.activeElement as HTMLElement | null)?.blur();
}

/** anywidget's render: the figure the kernel's widget names, drawn by the page's own view. */
export function render({ model, el }: { model: AnyModel; el: HTMLElement }): () => void {
  const name = String(model.get("figure_name"));
  const figure = FIGURES.find((candidate) => candidate.name === name);
  if (!figure) {
    el.textContent = `There is no figure named ${name}.`;
    return () => {};
  }
  const root = document.createElement("div");
  root.className = ROOT_CLASS;
  // A notebook's own keys (arrows select cells, Space scrolls, Enter edits) stop at the figure: inside it they
  // move its sliders, press its buttons and walk its drawings, as on the page. Escape, and keys held with
  // Ctrl, Alt or the Command key, still reach the notebook (back to its cells; saving it, say). JupyterLab
  // hears keys as they bubble up. Escape also leaves the figure, once the notebook has heard it: the focus goes
  // to the nearest part of the notebook that takes it (in JupyterLab, the cell), so that the notebook's next
  // keys (B, a new cell) are the notebook's again.
  const ownKeys = (event: KeyboardEvent): void => {
    if (event.key === "Escape") setTimeout(() => leaveFigure(root));
    else if (!event.ctrlKey && !event.metaKey && !event.altKey) event.stopPropagation();
  };
  root.addEventListener("keydown", ownKeys);
  const box = document.createElement("div");
  box.className = "figure";
  box.dataset.figure = figure.name;
  box.setAttribute("aria-label", figure.title.charAt(0).toUpperCase() + figure.title.slice(1));
  root.append(box);
  el.append(root);
  const adapted = new NotebookModel(model);
  // Every view counts the frames it has drawn on its element (data-frames): each new count is a frame drawn.
  const drawing = new MutationObserver(() => adapted.drawn());
  drawing.observe(box, { attributes: true, attributeFilter: ["data-frames"] });
  const dispose = figure.render({ model: adapted, el: box });
  const key = String(model.get("widget_key"));
  openViews.set(key, (openViews.get(key) ?? 0) + 1);
  return () => {
    drawing.disconnect();
    const left = (openViews.get(key) ?? 1) - 1;
    if (left > 0) {
      openViews.set(key, left);
      // Closing one view of a widget that trains stops it only with the last: the others go on showing it.
      adapted.silence();
    } else openViews.delete(key);
    dispose();
    adapted.dispose();
    root.remove();
  };
}
