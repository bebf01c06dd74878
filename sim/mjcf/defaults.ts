/**
 * MJCF default classes: `<default class="...">` trees whose joint/geom/motor attributes an element
 * inherits through its `class` attribute or the nearest `childclass` of its enclosing bodies.
 */
import { mjcfError, warnUnsupportedElement, type Warnings } from './reader.ts';
import type { XmlElement } from './xml.ts';

/** The element kinds whose defaults the loader uses. */
export type DefaultedTag = 'joint' | 'geom' | 'motor';

type ClassDefaults = Record<DefaultedTag, Record<string, string>>;

/** MuJoCo's actuator shortcuts share one default; of those, only `motor` semantics are supported. */
const DEFAULT_KIND: Record<string, DefaultedTag> = { joint: 'joint', geom: 'geom', motor: 'motor', general: 'motor' };

export const MAIN_CLASS = 'main';

export class DefaultClasses {
  private readonly classes = new Map<string, ClassDefaults>();

  constructor(defaultRoots: readonly XmlElement[], warnings: Warnings) {
    this.classes.set(MAIN_CLASS, { joint: {}, geom: {}, motor: {} });
    // Several top-level <default> sections all extend the main class.
    for (const root of defaultRoots) this.collect(root, this.classes.get(MAIN_CLASS)!, warnings, true);
  }

  private collect(element: XmlElement, inherited: ClassDefaults, warnings: Warnings, topLevel: boolean): void {
    const name = element.attrs.class ?? (topLevel ? MAIN_CLASS : undefined);
    if (name === undefined) throw mjcfError(element, 'a nested <default> needs a class attribute');
    if (name !== MAIN_CLASS && this.classes.has(name)) throw mjcfError(element, `default class '${name}' is defined twice`);
    const own: ClassDefaults = { joint: { ...inherited.joint }, geom: { ...inherited.geom }, motor: { ...inherited.motor } };
    const nested: XmlElement[] = [];
    for (const child of element.children) {
      const kind = DEFAULT_KIND[child.tag];
      if (child.tag === 'default') nested.push(child);
      else if (kind) Object.assign(own[kind], child.attrs);
      else warnUnsupportedElement(child, warnings, 'default');
    }
    this.classes.set(name, own);
    for (const child of nested) this.collect(child, own, warnings, false);
  }

  /** The default attributes of `tag` in `className`; an unknown class is an error naming `element`. */
  attrs(tag: DefaultedTag, className: string, element: XmlElement): Readonly<Record<string, string>> {
    const defaults = this.classes.get(className);
    if (!defaults) throw mjcfError(element, `default class '${className}' is not defined`);
    return defaults[tag];
  }
}
