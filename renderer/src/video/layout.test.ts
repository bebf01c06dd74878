import { describe, expect, it } from 'vitest';
import { gridCells } from './layout.ts';

describe('gridCells', () => {
  it('gives one clip the whole frame', () => {
    expect(gridCells(1, 1280, 720)).toEqual([{ x: 0, y: 0, width: 1280, height: 720 }]);
  });

  it('tiles a montage in a near-square grid of even-sized cells inside the frame', () => {
    for (const [count, columns, rows] of [
      [2, 2, 1],
      [4, 2, 2],
      [5, 3, 2],
      [6, 3, 2],
      [9, 3, 3],
    ]) {
      const cells = gridCells(count, 1280, 720);
      expect(new Set(cells.map((c) => c.x)).size).toBe(columns);
      expect(new Set(cells.map((c) => c.y)).size).toBe(rows);
      for (const c of cells) {
        expect((c.width % 2) + (c.height % 2)).toBe(0);
        expect(c.x + c.width).toBeLessThanOrEqual(1280);
        expect(c.y + c.height).toBeLessThanOrEqual(720);
      }
    }
  });
});
