// Placeholder: the view is being written.

import type { WidgetModel } from "../model";

export function render({ el }: { model: WidgetModel; el: HTMLElement }): () => void {
  el.textContent = "";
  return () => undefined;
}

export default { render };
