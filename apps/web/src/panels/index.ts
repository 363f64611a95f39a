/**
 * Every panel of the page, in the order they are mounted. A new panel is one file and one line
 * here: a tool panel brings its markup (area 'tools'), as the lecture does (area 'lecture'); the
 * others run markup index.html has.
 */
import type { Panel } from '../page/context.js';
import { backendsPanel } from './backends.js';
import { confusionPanel } from './confusion.js';
import { dataPanel } from './data.js';
import { lecturePanel } from './lecture/lecture.js';
import { lossPanel } from './loss.js';
import { modelPanel } from './model.js';
import { samplesPanel } from './samples.js';
import { templatesPanel } from './templates.js';
import { batchesPanel } from './tools/batches.js';
import { gradcheckPanel } from './tools/gradcheck.js';
import { landscapePanel, slicePanel } from './tools/landscapes.js';
import { racePanel } from './tools/race.js';
import { sweepPanel } from './tools/sweep.js';
import { tunePanel } from './tools/tune.js';
import { trainingPanel } from './training.js';

export const PANELS: readonly Panel[] = [
  backendsPanel, trainingPanel, dataPanel, modelPanel,
  lossPanel, templatesPanel, confusionPanel, samplesPanel,
  sweepPanel, slicePanel, landscapePanel, tunePanel, batchesPanel, racePanel, gradcheckPanel,
  lecturePanel,
];
