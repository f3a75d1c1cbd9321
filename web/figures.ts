// Every figure the page can show: the name in its data-figure attribute and WebSocket path, the prefix
// of its settings in the page address, and the view that draws it.

import type { WidgetModel } from "./model";

export interface FigureDefinition {
  /** The value of data-figure on the page, and the WebSocket path ws/<name>. */
  name: string;
  /** What the page calls it in a sentence: "Connecting to the ensemble grid…". */
  title: string;
  /** Prepended to each setting in the page address, so that two figures' "p" stay apart. */
  prefix: string;
  /** Settings the server understands (frame.values.settings), in the order they are written. */
  keys: readonly string[];
  /** Settings the view alone keeps (in the model), also written into the address. */
  pageKeys: readonly string[];
  render(props: { model: WidgetModel; el: HTMLElement }): () => void;
}
