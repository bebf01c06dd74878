/**
 * Text typed in a form field -> the value sent to main, which validates it with the schemas the
 * CLI uses. Text that is not a number stays text, so main reports it as such.
 */
import type { HparamField, HparamValue } from '../../../main/lab/api.ts';

export function parseFieldText(field: Pick<HparamField, 'kind' | 'nullable'>, text: string): unknown {
  const trimmed = text.trim();
  if (field.nullable && (trimmed === '' || trimmed === 'null' || trimmed === 'off')) return null;
  if (field.kind === 'number' || field.kind === 'integer') {
    return trimmed !== '' && Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
  }
  return text;
}

export function fieldText(value: HparamValue | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value);
}

/** Form state for a set of fields: flags stay booleans, everything else is edited as text. */
export type FormValues = Record<string, string | boolean>;

export function toFormValues(fields: HparamField[], values: Record<string, HparamValue>): FormValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.kind === 'boolean' ? Boolean(values[f.name]) : fieldText(values[f.name])]));
}

export function fromFormValues(fields: HparamField[], form: FormValues): Record<string, unknown> {
  return Object.fromEntries(
    fields.map((f) => {
      const value = form[f.name];
      return [f.name, typeof value === 'boolean' ? value : parseFieldText(f, value ?? '')];
    }),
  );
}
