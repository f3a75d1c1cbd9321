// A box that scrolls sideways when what it holds is wider than the page lets it be (a table on a narrow
// screen, or with large text). While it can scroll it is a named region that the keyboard can reach, so
// that its hidden part can be scrolled into view with the arrow keys; while it cannot, it is a plain box
// and no extra Tab stop. It says so with `is-scrollable`, for a style that hints at the hidden part.

export function scrollBox(box: HTMLElement, name: string): HTMLElement {
  const update = (): void => {
    const scrolls = box.scrollWidth > box.clientWidth + 1;
    if (scrolls === box.classList.contains("is-scrollable")) return;
    box.classList.toggle("is-scrollable", scrolls);
    if (scrolls) {
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name);
    } else {
      for (const attribute of ["tabindex", "role", "aria-label"]) box.removeAttribute(attribute);
    }
  };
  // The box changes width with the page; what it holds changes width with its numbers and its text size.
  const observer = new ResizeObserver(update);
  observer.observe(box);
  const watchContent = (): void => {
    for (const child of box.children) observer.observe(child);
  };
  watchContent();
  new MutationObserver(watchContent).observe(box, { childList: true });
  return box;
}
