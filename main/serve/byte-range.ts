/**
 * One HTTP byte range (RFC 9110 §14): what a <video> element asks for to seek. Several ranges in
 * one header, or a header this does not understand, are ignored, as the RFC allows: the whole file
 * is sent instead.
 */

/** Inclusive byte offsets. */
export interface ByteRange {
  start: number;
  end: number;
}

/** The range a `Range` header asks of a file of `size` bytes; null: send it whole. */
export function parseByteRange(header: string | null, size: number): ByteRange | 'unsatisfiable' | null {
  const match = header === null ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    // bytes=-N: the last N bytes.
    const length = Number(match[2]);
    return length === 0 || size === 0 ? 'unsatisfiable' : { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size) return 'unsatisfiable';
  return end < start ? null : { start, end };
}
