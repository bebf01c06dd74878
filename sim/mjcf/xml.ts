/** MJCF text -> a plain element tree that remembers each element's line (for error messages). */
import { XMLParser } from 'fast-xml-parser';

export interface XmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** 1-based line of the opening tag. */
  line: number;
}

const ATTRS = ':@';
const META = XMLParser.getMetaDataSymbol() as unknown as string;

const parser = new XMLParser({
  preserveOrder: true, // MuJoCo numbers joints and bodies in document order
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  commentPropName: false,
  captureMetaData: true,
  processEntities: true,
});

type OrderedNode = Record<string, unknown>;

/** Parses MJCF text; malformed XML throws an Error with the parser's line and column. */
export function parseXml(xml: string): XmlElement {
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(xml, true) as OrderedNode[];
  } catch (error) {
    throw new Error(`MJCF: malformed XML: ${(error as Error).message}`);
  }
  const lineStarts = lineStartOffsets(xml);
  const roots = nodes.map((node) => toElement(node, lineStarts)).filter((e): e is XmlElement => e !== null);
  if (roots.length !== 1 || roots[0].tag !== 'mujoco') {
    throw new Error(`MJCF: the document must have a single <mujoco> root element, found ${roots.map((r) => `<${r.tag}>`).join(', ') || 'none'}`);
  }
  return roots[0];
}

function toElement(node: OrderedNode, lineStarts: number[]): XmlElement | null {
  const tag = Object.keys(node).find((key) => key !== ATTRS);
  if (tag === undefined || tag === '#text' || tag.startsWith('?')) return null;
  const meta = node[META] as { startIndex?: number } | undefined;
  const children = (node[tag] as OrderedNode[]).map((child) => toElement(child, lineStarts)).filter((e): e is XmlElement => e !== null);
  return {
    tag,
    attrs: { ...((node[ATTRS] as Record<string, string> | undefined) ?? {}) },
    children,
    line: lineOf(meta?.startIndex ?? 0, lineStarts),
  };
}

function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineOf(offset: number, lineStarts: number[]): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
