import { describeChoice, isFeatureDataset, isFeaturePreprocessing, OptionError, prepareData, prepareStreamed, Session, type Preprocessing } from '@descent/core';
import { loadDataset, npyTrainingBytes, openNpyFolder, STREAM_ABOVE, type StreamedFolder } from '@descent/core/node';
import { createRegistry } from './backends.js';
import type { CommonOptions } from './options.js';

/** What the CLI adds to core's Session: how long loading and placing took. */
export interface CliSession {
  readonly session: Session;
  /** Seconds spent choosing the backend, loading and placing the data. */
  readonly loadSeconds: number;
  /** Close the session and the files a streamed data set reads from. */
  close(): Promise<void>;
}

/**
 * Whether --data is streamed from disk: --stream asks for it (a numpy folder only), and a numpy
 * folder whose training images pass STREAM_ABOVE (1 GiB) is streamed without asking.
 */
export async function streams(opts: { data: string; stream?: boolean }): Promise<boolean> {
  const named = ['embedded', 'fashion-mnist', ''].includes(opts.data.trim());
  if (opts.stream && named) {
    throw new OptionError(`--stream reads a folder of uncompressed numpy arrays (x_train.npy and y_train.npy, or X.npy and y.npy); '${opts.data}' is not one`);
  }
  // Asked for: openNpyFolder says what is wrong with the folder, if anything.
  if (opts.stream) return true;
  const bytes = named ? undefined : await npyTrainingBytes(opts.data);
  return bytes !== undefined && bytes > STREAM_ABOVE;
}

/**
 * Core's session on the backend --backend picks (a backend that cannot run fails before any
 * data is read), with --data loaded (or opened for streaming), split and placed. Says on stderr
 * which backend `auto` or a list chose (JSON carries it as backendChoice).
 */
export async function openSession(opts: CommonOptions, extra: { preprocessing?: Preprocessing } = {}): Promise<CliSession> {
  const t0 = performance.now();
  const session = await Session.open(createRegistry(), opts.backend);
  const choice = session.choice;
  if (!opts.json && !opts.quiet && choice.requested !== choice.chosen) {
    process.stderr.write(`backend: ${describeChoice(choice, { reasons: 'short' })}${choice.skipped.length > 0 ? " ('descent backends' says more)" : ''}\n`);
  }
  let folder: StreamedFolder | undefined;
  const close = async () => {
    try {
      await session.close();
    } finally {
      await folder?.close();
    }
  };
  try {
    const resumed = extra.preprocessing;
    if (resumed && opts.standardize && !(isFeaturePreprocessing(resumed) && resumed.standardized)) {
      throw new OptionError("--standardize: the model resumed from was not standardized, and a resumed run keeps its model's preprocessing");
    }
    const prepare = {
      seed: opts.seed, validation: opts.validation, scale: opts.scale, subtractMean: opts.mean, standardize: opts.standardize === true,
      ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
      ...(extra.preprocessing ? { preprocessing: extra.preprocessing } : {}),
    };
    const say = (note: string) => { if (!opts.json && !opts.quiet) process.stderr.write(`data: ${note}\n`); };
    if (await streams(opts)) {
      if (opts.testData !== undefined) throw new OptionError('--test-data reads a test file (LIBSVM); a streamed numpy folder holds its own x_test.npy');
      folder = await openNpyFolder(opts.data, { seed: opts.seed });
      checkPreprocessingOptions(opts, folder.name, !folder.train.image);
      for (const note of folder.notes) say(note);
      const placed = await session.place(await prepareStreamed(folder, prepare),
        { x: opts.xAs, ...(opts.blockRows !== undefined ? { blockRows: opts.blockRows } : {}) });
      say(`streamed from disk (${(folder.bytes / 2 ** 30).toFixed(2)} GiB of ${folder.train.image ? 'images' : 'features'}), ${placed.blockRows} rows a block, held as ${placed.form}`);
    } else {
      if (opts.blockRows !== undefined) throw new OptionError('--block-rows applies to streamed data only (--stream)');
      const loaded = await loadDataset(opts.data, { seed: opts.seed, ...(opts.testData !== undefined ? { testFile: opts.testData } : {}) });
      for (const note of loaded.notes) say(note);
      checkPreprocessingOptions(opts, loaded.name, isFeatureDataset(loaded.train));
      await session.place(prepareData(loaded, prepare), { x: opts.xAs });
    }
    return { session, loadSeconds: (performance.now() - t0) / 1000, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Images' options on features and features' on images are said, not ignored. */
function checkPreprocessingOptions(opts: CommonOptions, name: string, features: boolean): void {
  if (opts.standardize && !features) {
    throw new OptionError(`--standardize applies to features; ${name} holds images (their preprocessing is --scale and the mean image)`);
  }
  if (features && (opts.scaleGiven || opts.mean === false)) {
    throw new OptionError(`${opts.scaleGiven ? '--scale' : '--no-mean'} applies to images; ${name} holds features (taken as given, or --standardize)`);
  }
}

/** Open, run, and always close. */
export async function withSession<T>(opts: CommonOptions, run: (s: Session, loadSeconds: number) => Promise<T>,
  extra: { preprocessing?: Preprocessing } = {}): Promise<T> {
  const { session, loadSeconds, close } = await openSession(opts, extra);
  try {
    return await run(session, loadSeconds);
  } finally {
    await close();
  }
}
