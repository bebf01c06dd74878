/** Where each clip goes in a video frame: the whole frame, or a cell of a montage grid. */

export interface Cell {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * `count` equal cells tiling a `width` x `height` frame, row by row: the columns x rows grid in which
 * a picture of the frame's own shape shows largest, with more columns on a tie (robots move
 * sideways). Cell sizes are even (video encoders work in 2 x 2 blocks) and the grid is centred.
 */
export function gridCells(count: number, width: number, height: number): Cell[] {
  let best = { columns: 1, rows: count, score: -1 };
  for (let columns = 1; columns <= count; columns++) {
    const rows = Math.ceil(count / columns);
    const score = Math.min(1 / columns, 1 / rows);
    if (score >= best.score) best = { columns, rows, score };
  }
  const even = (n: number) => Math.max(2, Math.floor(n / 2) * 2);
  const cellWidth = even(width / best.columns);
  const cellHeight = even(height / best.rows);
  const left = Math.floor((width - cellWidth * best.columns) / 2);
  const top = Math.floor((height - cellHeight * best.rows) / 2);
  return Array.from({ length: count }, (_, i) => ({
    x: left + (i % best.columns) * cellWidth,
    y: top + Math.floor(i / best.columns) * cellHeight,
    width: cellWidth,
    height: cellHeight,
  }));
}
