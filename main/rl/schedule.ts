/** Learning-rate schedules. */

/**
 * CleanRL's linear annealing: initial * (1 - (update - 1) / totalUpdates), for the 1-based update
 * about to run. Starts at `initial` and ends one step above zero (initial / totalUpdates).
 */
export function linearAnneal(initial: number, update: number, totalUpdates: number): number {
  return initial * (1 - (update - 1) / totalUpdates);
}
