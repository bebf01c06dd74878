/** The 3-D world's colors from the current theme's design tokens (styles/app.css). */
import { cssVar } from '../lib/theme.svelte.ts';
import type { WorldPalette } from './world.ts';

export function themePalette(): WorldPalette {
  return { background: cssVar('--viewer-bg'), ground: cssVar('--viewer-ground'), grid: cssVar('--viewer-grid'), gridMinor: cssVar('--viewer-grid-minor') };
}
