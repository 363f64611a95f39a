import { OptionError } from '../errors.js';

/**
 * Learning-rate schedules (CS231n, "Annealing the learning rate"). Each maps the fractional
 * epoch — examples drawn ÷ n, i.e. iterations·batch/n — to a step size:
 *
 *   constant:     lr(e) = lr0
 *   step:         lr(e) = lr0 · factor^⌊e / every⌋
 *   exponential:  lr(e) = lr0 · exp(−k·e)
 *   inverse:      lr(e) = lr0 / (1 + k·e)            (1/t decay)
 */
export const SCHEDULE_NAMES = ['constant', 'step', 'exponential', 'inverse'] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/** How each schedule reads in a menu. */
export const SCHEDULE_LABELS: Readonly<Record<ScheduleName, string>> = {
  constant: 'constant', step: 'step decay', exponential: 'exponential decay', inverse: '1/t decay',
};

export interface ScheduleOptions {
  /** step: epochs between drops, > 0. Default 10. */
  every?: number;
  /** step: multiplier at each drop, in (0, 1]. Default 0.5. */
  factor?: number;
  /** exponential and inverse: decay rate per epoch, ≥ 0. Default 0.1. */
  k?: number;
}

/** Step size at a fractional epoch ≥ 0. */
export type Schedule = (epoch: number) => number;

export const DEFAULT_SCHEDULE_OPTIONS: Readonly<Required<ScheduleOptions>> = Object.freeze({
  every: 10,
  factor: 0.5,
  k: 0.1,
});

export function isScheduleName(name: string): name is ScheduleName {
  return (SCHEDULE_NAMES as readonly string[]).includes(name);
}

/** The schedule called `name` starting from lr0; OptionError for an unknown name or bad option. */
export function createSchedule(name: string, lr0: number, options: ScheduleOptions = {}): Schedule {
  if (!isScheduleName(name)) {
    throw new OptionError(`unknown learning-rate schedule '${name}'; expected one of: ${SCHEDULE_NAMES.join(', ')}`);
  }
  if (!(typeof lr0 === 'number' && lr0 > 0 && Number.isFinite(lr0))) {
    throw new OptionError(`schedule option 'lr0' (initial learning rate) must be a finite number > 0, got ${String(lr0)}`);
  }
  const every = options.every ?? DEFAULT_SCHEDULE_OPTIONS.every;
  const factor = options.factor ?? DEFAULT_SCHEDULE_OPTIONS.factor;
  const k = options.k ?? DEFAULT_SCHEDULE_OPTIONS.k;
  if (!(typeof every === 'number' && every > 0 && Number.isFinite(every))) {
    throw new OptionError(`schedule option 'every' must be a finite number of epochs > 0, got ${String(every)}`);
  }
  if (!(typeof factor === 'number' && factor > 0 && factor <= 1)) {
    throw new OptionError(`schedule option 'factor' must be a number in (0, 1], got ${String(factor)}`);
  }
  if (!(typeof k === 'number' && k >= 0 && Number.isFinite(k))) {
    throw new OptionError(`schedule option 'k' must be a finite number >= 0, got ${String(k)}`);
  }

  let rate: Schedule;
  switch (name) {
    case 'constant': rate = () => lr0; break;
    case 'step': rate = (e) => lr0 * factor ** Math.floor(e / every); break;
    case 'exponential': rate = (e) => lr0 * Math.exp(-k * e); break;
    case 'inverse': rate = (e) => lr0 / (1 + k * e); break;
  }
  return (epoch: number) => {
    if (!(epoch >= 0 && Number.isFinite(epoch))) {
      throw new OptionError(`learning-rate schedule '${name}': epoch must be a finite number >= 0, got ${epoch}`);
    }
    return rate(epoch);
  };
}
