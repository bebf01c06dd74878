/**
 * Typed attribute access for one MJCF element (own attributes over its default class), with
 * errors that name the element, and a record of every attribute nobody read: those become
 * warnings, so nothing in a model is dropped silently.
 */
import type { XmlElement } from './xml.ts';

/** Warnings collected while loading a model, each reported once. */
export class Warnings {
  private readonly seen = new Set<string>();
  readonly list: string[] = [];

  add(message: string): void {
    if (this.seen.has(message)) return;
    this.seen.add(message);
    this.list.push(message);
  }
}

/** Elements and attributes that only change how MuJoCo draws or allocates, never the dynamics. */
const HARMLESS_ELEMENTS = new Set(['light', 'camera', 'visual', 'asset', 'statistic', 'size']);
const HARMLESS_ATTRIBUTES = new Set(['material', 'group', 'user']);

export function warnUnsupportedElement(element: XmlElement, warnings: Warnings, where = ''): void {
  const note = HARMLESS_ELEMENTS.has(element.tag) ? 'no effect on the simulation here' : 'unsupported, ignored';
  warnings.add(`<${element.tag}>${where ? ` in <${where}>` : ''}: ${note}`);
}

/** `geom 'torso' (line 12)` — how errors name an element. */
export function describe(element: XmlElement): string {
  const name = element.attrs.name;
  return `${element.tag}${name ? ` '${name}'` : ''} (line ${element.line})`;
}

export function mjcfError(element: XmlElement, message: string): Error {
  return new Error(`MJCF ${describe(element)}: ${message}`);
}

export class ElementReader {
  private readonly unread: Set<string>;

  constructor(
    readonly element: XmlElement,
    /** Attribute values from the element's default class, overridden by its own. */
    private readonly defaults: Readonly<Record<string, string>> = {},
  ) {
    this.unread = new Set([...Object.keys(defaults), ...Object.keys(element.attrs)]);
    this.unread.delete('class');
    this.unread.delete('childclass');
  }

  private raw(name: string): string | undefined {
    this.unread.delete(name);
    return this.element.attrs[name] ?? this.defaults[name];
  }

  has(name: string): boolean {
    return this.element.attrs[name] !== undefined || this.defaults[name] !== undefined;
  }

  /** Marks an attribute as handled without reading it (e.g. superseded by another). */
  skip(name: string): void {
    this.unread.delete(name);
  }

  error(message: string): Error {
    return mjcfError(this.element, message);
  }

  str(name: string, fallback: string): string;
  str(name: string): string | undefined;
  str(name: string, fallback?: string): string | undefined {
    return this.raw(name) ?? fallback;
  }

  /** One of `choices`; anything else is an error. */
  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const value = this.raw(name) ?? fallback;
    if (!(choices as readonly string[]).includes(value)) {
      throw this.error(`${name}="${value}" is not one of ${choices.join(', ')}`);
    }
    return value as T;
  }

  bool(name: string, fallback: boolean): boolean {
    return this.choice(name, ['true', 'false'], fallback ? 'true' : 'false') === 'true';
  }

  /** A whitespace-separated list of finite numbers, of one of the lengths in `counts`. */
  numbers(name: string, counts: readonly number[]): number[] | undefined {
    const text = this.raw(name);
    if (text === undefined) return undefined;
    const parts = text
      .trim()
      .split(/\s+/)
      .filter((p) => p !== '');
    const values = parts.map(Number);
    if (!counts.includes(values.length) || values.some((v) => !Number.isFinite(v))) {
      throw this.error(`${name}="${text}" must be ${counts.join(' or ')} finite number(s)`);
    }
    return values;
  }

  vec(name: string, count: number, fallback: readonly number[]): number[] {
    return this.numbers(name, [count]) ?? [...fallback];
  }

  num(name: string, fallback: number): number {
    return this.numbers(name, [1])?.[0] ?? fallback;
  }

  /** Reports every attribute that was present but never read. */
  reportUnread(warnings: Warnings): void {
    for (const name of this.unread) {
      const note = HARMLESS_ATTRIBUTES.has(name) ? 'no effect on the simulation here' : 'unsupported, ignored';
      warnings.add(`${this.element.tag}@${name}: ${note}`);
    }
  }
}
