/**
 * Vega-Lite specs for every picture, and a canvas-free SVG renderer.
 *
 * @module @descent/plots
 */
/**
 * @descent/plots: the pictures of a training run as Vega-Lite specifications (plain JSON a web
 * page can hand to vega-embed) and `renderSvg`, which draws any of them as an SVG string with
 * Vega's headless renderer (no canvas, no native modules; Node or browser).
 */
export { CONFIG, type Numbers, type Spec } from './common.js';
export { compileSpec, renderSvg, type CompileResult, type RenderOptions } from './render.js';
export { defaultSmoothing, downsampleMinMax, evenIndices, smooth, type Smoothing } from './series.js';
export { lossCurveSpec, type Evaluation, type LossCurveInput } from './loss-curve.js';
export { stepSizeSweepSpec, type StepSizeSweepInput } from './step-size-sweep.js';
export { bandLevels, landscape1DSpec, landscape2DSpec, type Landscape1DInput, type Landscape2DInput } from './landscape.js';
export { CONFUSION_GRID_MAX_CLASSES, confusionMatrixSpec, uniqueNames, type ConfusionMatrixInput } from './confusion-matrix.js';
export { classTemplatesSpec, templateImages, TEMPLATES_MAX_CLASSES, type ClassTemplatesInput, type ImageShape, type TemplateImages } from './class-templates.js';
export { optimizerRaceSpec, RACE_SHOWN_SIGNAL, type OptimizerRaceInput, type RacePathInput } from './optimizer-race.js';
