/**
 * Turns an algorithm's hyperparameter schema (zod) into form fields for the UI: the schema's own
 * JSON Schema export gives type, default, bounds and description, and `live` comes from its meta.
 */
import { z } from 'zod';
import type { HparamValue } from '../config/run-config.ts';
import type { HparamField } from './api.ts';

interface JsonSchemaField {
  type?: string;
  anyOf?: JsonSchemaField[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  live?: boolean;
}

export function hparamFields(schema: z.ZodObject): HparamField[] {
  return Object.entries(schema.shape).map(([name, field]) => toField(name, z.toJSONSchema(field as z.ZodType, { io: 'input' }) as JsonSchemaField));
}

function toField(name: string, json: JsonSchemaField): HparamField {
  // A nullable value is exported as anyOf [<the value>, null].
  const variants = json.anyOf ?? [json];
  const value = variants.find((v) => v.type !== 'null') ?? json;
  const field: HparamField = {
    name,
    description: json.description ?? '',
    kind: kindOf(name, value),
    default: (json.default ?? null) as HparamValue,
    nullable: variants.some((v) => v.type === 'null'),
    live: json.live === true,
  };
  if (value.minimum !== undefined) field.min = value.minimum;
  if (value.maximum !== undefined) field.max = value.maximum;
  if (value.exclusiveMinimum !== undefined) field.exclusiveMin = value.exclusiveMinimum;
  if (value.exclusiveMaximum !== undefined) field.exclusiveMax = value.exclusiveMaximum;
  if (value.enum) field.choices = value.enum.map(String);
  return field;
}

function kindOf(name: string, value: JsonSchemaField): HparamField['kind'] {
  if (value.enum) return 'choice';
  switch (value.type) {
    case 'integer':
    case 'number':
    case 'boolean':
    case 'string':
      return value.type;
    default:
      throw new Error(`hyperparameter ${name} has a type the form cannot show (${JSON.stringify(value)})`);
  }
}
