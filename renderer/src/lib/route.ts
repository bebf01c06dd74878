/**
 * The page's address says what it shows, so a reload, a bookmark or Back returns to it:
 * `#/new`, `#/runs/<id>`, `#/compare/<id>,<id>...`, `#/sweeps` (the list and the New-sweep form),
 * `#/sweeps/<id>`.
 */

export type View =
  { kind: 'new' } | { kind: 'run'; runId: string } | { kind: 'compare'; runIds: string[] } | { kind: 'sweeps' } | { kind: 'sweep'; sweepId: string };

export function hashOfView(view: View): string {
  switch (view.kind) {
    case 'new':
      return '#/new';
    case 'run':
      return `#/runs/${encodeURIComponent(view.runId)}`;
    case 'compare':
      return `#/compare/${view.runIds.map(encodeURIComponent).join(',')}`;
    case 'sweeps':
      return '#/sweeps';
    case 'sweep':
      return `#/sweeps/${encodeURIComponent(view.sweepId)}`;
  }
}

/** The view an address names; anything else (no hash, an old or mistyped one) is New run. */
export function viewFromHash(hash: string): View {
  const [, section, rest = ''] = /^#\/([^/]*)\/?(.*)$/.exec(hash) ?? [];
  const ids = rest.split(',').filter(Boolean).map(safeDecode);
  if (section === 'runs' && ids.length === 1 && ids[0]) return { kind: 'run', runId: ids[0] };
  if (section === 'compare' && ids.length >= 2 && ids.every(Boolean)) return { kind: 'compare', runIds: ids as string[] };
  if (section === 'sweeps' && rest === '') return { kind: 'sweeps' };
  if (section === 'sweeps' && ids.length === 1 && ids[0]) return { kind: 'sweep', sweepId: ids[0] };
  return { kind: 'new' };
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part);
  } catch {
    return null;
  }
}
