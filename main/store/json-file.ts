/**
 * Reading JSON back from disk: every file a run wrote is validated by its schema, and every
 * failure names the file (and line) and the problem, because the user has to go and look at it.
 */
import fs from 'node:fs';
import { z } from 'zod';
import { describeFsError } from './fs-errors.ts';

/** Parses and validates one JSON document; `where` is the file (or `file:line`) for the error. */
export function parseJson<Schema extends z.ZodType>(text: string, schema: Schema, where: string): z.infer<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not valid JSON (${(error as Error).message})`);
  }
  const result = schema.safeParse(json);
  if (!result.success) throw new Error(`${where}: unexpected content:\n${z.prettifyError(result.error)}`);
  return result.data;
}

export function readJsonFile<Schema extends z.ZodType>(file: string, schema: Schema): z.infer<Schema> {
  return parseJson(readText(file), schema, file);
}

export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${file}: ${describeFsError(error)}`);
  }
}
