/** Dark or light, remembered; the first visit follows the system's preference. */
export type Theme = 'dark' | 'light';

const KEY = 'gaitlab.theme';

function initialTheme(): Theme {
  const saved = localStorage.getItem(KEY);
  if (saved === 'dark' || saved === 'light') return saved;
  return matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export const theme = $state({ current: initialTheme() });

export function applyTheme(next: Theme): void {
  theme.current = next;
  localStorage.setItem(KEY, next);
  // Switch in one step: hover transitions would otherwise fade each control separately.
  const root = document.documentElement;
  root.classList.add('switching-theme');
  root.dataset.theme = next;
  requestAnimationFrame(() => requestAnimationFrame(() => root.classList.remove('switching-theme')));
}

/** A design token's value (see styles/app.css), for canvases that cannot use CSS. */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}
