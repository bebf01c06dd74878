/**
 * The axes of a parallel-coordinates plot of a sweep: one per searched hyperparameter, scaled as
 * the spec searches it (a log range on a log axis, listed values as evenly spaced categories), and
 * the metric last. Positions run from 0 (bottom) to 1 (top); a value the axis cannot place is null.
 */
import type { HparamValue } from '../../../main/lab/api.ts';
import { formatNumber } from '../lib/format.ts';

/** A searched hyperparameter's space as the spec gives it (config/sweep-spec.ts). */
export interface ParameterSpace {
  values?: HparamValue[];
  min?: number;
  max?: number;
  log?: boolean;
}

export interface Axis {
  key: string;
  scale: 'linear' | 'log' | 'category';
  /** Labels along the axis, each at its position. */
  ticks: { label: string; at: number }[];
  position(value: HparamValue | undefined): number | null;
}

export function parameterAxis(key: string, space: ParameterSpace, seen: readonly (HparamValue | undefined)[]): Axis {
  const numbers = seen.filter((v): v is number => typeof v === 'number');
  if (space.values && !space.values.every((v) => typeof v === 'number')) return categoryAxis(key, space.values);
  const listed = (space.values ?? []) as number[];
  // PBT perturbs values past the spec's range: the axis spans both.
  const low = Math.min(space.min ?? Infinity, ...listed, ...numbers);
  const high = Math.max(space.max ?? -Infinity, ...listed, ...numbers);
  return numberAxis(key, low, high, space.log === true && low > 0);
}

/** The metric's axis, over the values the trials reached (null: not measured yet). */
export function metricAxis(key: string, metrics: readonly (number | null)[]): Axis {
  const values = metrics.filter((m): m is number => m !== null && Number.isFinite(m));
  return numberAxis(key, Math.min(...values), Math.max(...values), false);
}

function numberAxis(key: string, low: number, high: number, log: boolean): Axis {
  const map = (v: number) => (log ? Math.log(v) : v);
  const [a, b] = [map(low), map(high)];
  const finite = Number.isFinite(a) && Number.isFinite(b);
  const position = (value: HparamValue | undefined): number | null => {
    if (typeof value !== 'number' || !finite || (log && value <= 0)) return null;
    // One value only: the middle of the axis.
    return b === a ? 0.5 : (map(value) - a) / (b - a);
  };
  const ticks = !finite ? [] : b === a ? [{ label: formatNumber(low), at: 0.5 }] : endLabels(low, high).map((label, i) => ({ label, at: i }));
  return { key, scale: log ? 'log' : 'linear', ticks, position };
}

/** The labels of an axis's two ends, with the digits it takes to tell them apart (two PBT trials often end a fraction apart). */
function endLabels(low: number, high: number): [string, string] {
  let digits = 3;
  while (digits < 15 && formatNumber(low, digits) === formatNumber(high, digits)) digits++;
  return [formatNumber(low, digits), formatNumber(high, digits)];
}

function categoryAxis(key: string, values: readonly HparamValue[]): Axis {
  const labels = values.map((v) => String(v));
  const at = (i: number) => (labels.length === 1 ? 0.5 : i / (labels.length - 1));
  return {
    key,
    scale: 'category',
    ticks: labels.map((label, i) => ({ label, at: at(i) })),
    position: (value) => {
      const i = labels.indexOf(String(value));
      return i < 0 ? null : at(i);
    },
  };
}
