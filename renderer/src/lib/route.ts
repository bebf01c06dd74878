/**
 * The page's address says what it shows, so a reload, a bookmark or Back returns to it:
 * `#/new`, `#/runs/<id>`, `#/compare/<id>,<id>...` (sweeps will get `#/sweeps/<id>`).
 */

export type View = { kind: 'new' } | { kind: 'run'; runId: string } | { kind: 'compare'; runIds: string[] };

export function hashOfView(view: View): string {
  switch (view.kind) {
    case 'new':
      return '#/new';
    case 'run':
      return `#/runs/${encodeURIComponent(view.runId)}`;
    case 'compare':
      return `#/compare/${view.runIds.map(encodeURIComponent).join(',')}`;
  }
}

/** The view an address names; anything else (no hash, an old or mistyped one) is New run. */
export function viewFromHash(hash: string): View {
  const [, section, rest = ''] = /^#\/([^/]*)\/?(.*)$/.exec(hash) ?? [];
  const ids = rest.split(',').filter(Boolean).map(safeDecode);
  if (section === 'runs' && ids.length === 1 && ids[0]) return { kind: 'run', runId: ids[0] };
  if (section === 'compare' && ids.length >= 2 && ids.every(Boolean)) return { kind: 'compare', runIds: ids as string[] };
  return { kind: 'new' };
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
