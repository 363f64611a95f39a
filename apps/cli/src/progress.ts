import cliProgress from 'cli-progress';
import { isSearchStrategy, type ProgressEvent } from '@descent/core';

export interface ProgressReporter {
  update(event: ProgressEvent): void;
  /** Show the accuracy measured after the last iteration, then stop. */
  finish(validationAccuracy: number | undefined): void;
  stop(): void;
}

const fmt = (x: number | undefined, digits = 4): string => (x === undefined ? '-' : x.toPrecision(digits));

/**
 * A progress bar on a terminal; plain lines (about ten per run, plus each accuracy measurement)
 * when stderr is not a terminal; nothing with --json or --quiet.
 */
export function createProgress(mode: 'bar' | 'lines' | 'none', label: string): ProgressReporter {
  if (mode === 'none') return { update() {}, finish() {}, stop() {} };
  if (mode === 'lines') {
    let lastLine = -1;
    return {
      update(e) {
        const decile = Math.floor((10 * e.iteration) / e.iterations);
        if (e.trainAccuracy === undefined && decile === lastLine && e.iteration !== e.iterations) return;
        lastLine = decile;
        const acc = e.trainAccuracy !== undefined
          ? ` train acc ${fmt(e.trainAccuracy, 3)}${e.validationAccuracy !== undefined ? ` val acc ${fmt(e.validationAccuracy, 3)}` : ''}` : '';
        // A search evaluates every training row per proposal: its "epochs" would only repeat the count.
        const epoch = isSearchStrategy(e.strategy) ? '' : ` epoch ${e.epoch.toFixed(2)}`;
        process.stderr.write(`${label} iter ${e.iteration}/${e.iterations}${epoch} loss ${fmt(e.loss)} best ${fmt(e.bestLoss)}${acc}\n`);
      },
      finish() {},
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({
    format: `${label} {bar} {percentage}% | {value}/{total} | loss {loss} | val acc {val} | eta {eta_formatted}`,
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  let started = false;
  let val = '-';
  return {
    update(e) {
      if (e.validationAccuracy !== undefined) val = e.validationAccuracy.toFixed(3);
      if (!started) { bar.start(e.iterations, 0, { loss: '-', val }); started = true; }
      bar.update(e.iteration, { loss: fmt(e.loss), val });
    },
    finish(validationAccuracy) {
      if (started && validationAccuracy !== undefined) bar.update({ val: validationAccuracy.toFixed(3) });
      this.stop();
    },
    stop() { if (started) { bar.stop(); started = false; } },
  };
}

/** A plain count of finished steps (batch sizes, trials): a bar on a terminal, lines otherwise. */
export function createCountProgress(mode: 'bar' | 'lines' | 'none', label: string, total: number):
  { tick(detail: string): void; stop(): void } {
  if (mode === 'none') return { tick() {}, stop() {} };
  let done = 0;
  if (mode === 'lines') {
    return { tick(detail) { done++; process.stderr.write(`${label} ${done}/${total}: ${detail}\n`); }, stop() {} };
  }
  const bar = new cliProgress.SingleBar({ format: `${label} {bar} {value}/{total} | {detail} | eta {eta_formatted}`,
    stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { detail: '' });
  return { tick(detail) { bar.increment(1, { detail }); }, stop() { bar.stop(); } };
}
