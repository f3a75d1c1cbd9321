// Class probabilities as colour: each cell is the paper tinted towards every class's colour by that
// class's probability. The playground's decision map and the ensemble grid's maps share this, so that
// all of them read the same way.

import { classColour, type Palette } from "./palette";

const TINT = 0.62; // how far a certain prediction moves the paper towards its class colour

/**
 * Paint `probabilities` (grid × grid cells, rows from the top, `classes` bytes each, 255 = certain) onto
 * `canvas` at one pixel per cell; CSS scales the canvas up, which smooths it for free.
 */
export function paintProbabilities(
  canvas: HTMLCanvasElement,
  probabilities: ArrayLike<number>,
  grid: number,
  classes: number,
  palette: Palette,
): void {
  if (canvas.width !== grid) canvas.width = grid;
  if (canvas.height !== grid) canvas.height = grid;
  const context = canvas.getContext("2d");
  if (!context) return;
  const image = context.createImageData(grid, grid);
  const pixels = image.data;
  const { paper } = palette;
  const offsets = Array.from({ length: classes }, (_, c) => {
    const colour = classColour(palette, c);
    return [colour[0] - paper[0], colour[1] - paper[1], colour[2] - paper[2]].map((d) => (d * TINT) / 255);
  });
  for (let cell = 0; cell < grid * grid; cell++) {
    let r = paper[0];
    let g = paper[1];
    let b = paper[2];
    for (let c = 0; c < classes; c++) {
      const weight = probabilities[cell * classes + c] ?? 0;
      const offset = offsets[c] ?? [0, 0, 0];
      r += weight * (offset[0] ?? 0);
      g += weight * (offset[1] ?? 0);
      b += weight * (offset[2] ?? 0);
    }
    pixels[cell * 4] = r;
    pixels[cell * 4 + 1] = g;
    pixels[cell * 4 + 2] = b;
    pixels[cell * 4 + 3] = 255;
  }
  context.putImageData(image, 0, 0);
}
