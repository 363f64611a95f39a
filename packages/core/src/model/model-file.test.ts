import { describe, expect, it } from 'vitest';
import { Random } from '../random.js';
import { decodeModel, encodeModel, MODEL_VERSION, weightsChecksum, type Model } from './model-file.js';
import { predictImage } from './predict.js';

function tinyModel(): Model {
  const rng = new Random(1);
  const features = 2 * 3; // 2×3 grey images
  return {
    classNames: ['a', 'b', 'c'],
    image: { height: 2, width: 3, channels: 1, layout: 'hwc' },
    preprocessing: { features, scale: 1 / 255, bias: true, mean: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]) },
    weights: rng.fillNormal(new Float64Array((features + 1) * 3)) as Float64Array,
    objective: { loss: 'softmax', reg: 1e-4 },
    training: { strategy: 'minibatch', testAccuracy: 0.5 },
    createdAt: '2026-11-27T00:00:00.000Z',
  };
}

describe('model file', () => {
  it('round-trips every weight exactly, with classes, image, preprocessing and the run', () => {
    const m = tinyModel();
    const back = decodeModel(encodeModel(m), 'm.json');
    expect(Array.from(back.weights)).toEqual(Array.from(m.weights));
    expect(back.classNames).toEqual(['a', 'b', 'c']);
    expect(back.image).toEqual(m.image);
    expect(Array.from(back.preprocessing.mean)).toEqual(Array.from(m.preprocessing.mean));
    expect((back.preprocessing as { scale: number }).scale).toBe(1 / 255);
    expect(back.objective).toEqual({ loss: 'softmax', reg: 1e-4 });
    expect(back.training).toEqual({ strategy: 'minibatch', testAccuracy: 0.5 });
    expect(JSON.parse(encodeModel(m)).version).toBe(MODEL_VERSION);
  });

  it('records each loss, its margin included, and refuses an unknown one by the names it knows', () => {
    for (const objective of [{ loss: 'svm', reg: 0, delta: 2 }, { loss: 'crammer-singer', reg: 1e-3, delta: 1 }] as const) {
      expect(decodeModel(encodeModel({ ...tinyModel(), objective }), 'm.json').objective).toEqual(objective);
    }
    const doc = JSON.parse(encodeModel(tinyModel()));
    doc.objective.loss = 'hinge';
    expect(() => decodeModel(JSON.stringify(doc), 'm.json'))
      .toThrow(/"objective" must give loss \(one of svm, softmax, crammer-singer\), reg and optionally delta/);
  });

  it('refuses a file from a newer version with a message saying so', () => {
    const doc = JSON.parse(encodeModel(tinyModel()));
    doc.version = MODEL_VERSION + 1;
    expect(() => decodeModel(JSON.stringify(doc), 'm.json'))
      .toThrow(`m.json: written by a newer descent (model format version ${MODEL_VERSION + 1}; this descent reads up to ${MODEL_VERSION})`);
  });

  it('refuses corrupt files: truncated, not JSON, a changed weight, a wrong shape, another format', () => {
    const text = encodeModel(tinyModel());
    for (const cut of [1, 20, text.length / 2, text.length - 3, text.length - 2]) {
      expect(() => decodeModel(text.slice(0, cut), 'm.json')).toThrow(/^m\.json is truncated: it ends after \d+ characters, inside the JSON/);
    }
    expect(() => decodeModel(text.replace(':', ';'), 'm.json')).toThrow(/m\.json is not a descent model file: invalid JSON/);
    expect(() => decodeModel('', 'm.json')).toThrow(/it is empty/);
    const doc = JSON.parse(text);
    doc.weights.values[4] += 1e-9;
    expect(() => decodeModel(JSON.stringify(doc), 'm.json')).toThrow(/does not match its checksum .*: it is corrupt/);
    const short = JSON.parse(text);
    short.weights.values.pop();
    expect(() => decodeModel(JSON.stringify(short), 'm.json')).toThrow(/"weights" has 20 values, expected 7×3 = 21/);
    const nan = JSON.parse(text);
    nan.weights.values[2] = null;
    expect(() => decodeModel(JSON.stringify(nan), 'm.json')).toThrow(/weight 2 \(row 0, class 2\) is null/);
    expect(() => decodeModel('{"format":"something-else"}', 'x.json')).toThrow(/x\.json: not a descent model file/);
    const unsigned = JSON.parse(text);
    delete unsigned.checksum;
    expect(() => decodeModel(JSON.stringify(unsigned), 'm.json')).toThrow(/no "checksum"/);
  });

  it('the checksum covers everything a prediction depends on, not the run notes', () => {
    const text = encodeModel(tinyModel());
    const edits: [string, (doc: any) => void][] = [
      ['a mean value', (d) => { d.preprocessing.mean[3] = 0.41; }],
      ['the scale', (d) => { d.preprocessing.scale = 1; }],
      ['a class name', (d) => { d.classNames[1] = 'z'; }],
      ['the layout', (d) => { d.image.layout = 'chw'; }],
      ['the regularization', (d) => { d.objective.reg = 0.1; }],
      ['the loss', (d) => { d.objective.loss = 'svm'; }],
      ['a weight', (d) => { d.weights.values[0] *= -1; }],
      ['a field a later version adds', (d) => { d.labels = [3, 7, 9]; }],
    ];
    for (const [what, edit] of edits) {
      const doc = JSON.parse(text);
      edit(doc);
      expect(() => decodeModel(JSON.stringify(doc), 'm.json'), what).toThrow(/m\.json: the file does not match its checksum \(over everything but checksum, training and createdAt\)/);
    }
    // Key order, whitespace and the run's notes are free: the same model reads back.
    const doc = JSON.parse(text);
    doc.training.note = 'annotated by hand';
    doc.createdAt = '2027-01-01T00:00:00.000Z';
    doc.image = { layout: doc.image.layout, channels: doc.image.channels, width: doc.image.width, height: doc.image.height };
    expect(Array.from(decodeModel(JSON.stringify(doc, null, 2), 'm.json').weights)).toEqual(Array.from(tinyModel().weights));
  });

  it('a weight of −0 (JSON writes it as 0) reads back: the checksum hashes it as +0', () => {
    const m = { ...tinyModel(), weights: Float64Array.from(tinyModel().weights, (v, i) => (i % 3 === 0 ? -0 : v)) };
    const back = decodeModel(encodeModel(m), 'm.json');
    expect(Array.from(back.weights, (v) => (v === 0 ? 0 : v))).toEqual(Array.from(m.weights, (v) => (v === 0 ? 0 : v)));
  });

  it('a truncated file is named truncated whatever engine parsed it (V8, Firefox and Safari messages)', () => {
    const text = encodeModel(tinyModel()).slice(0, 50);
    for (const message of ['JSON.parse: unexpected end of data at line 1 column 51 of the JSON data', 'JSON Parse error: Unexpected EOF']) {
      const parse = JSON.parse;
      JSON.parse = () => { throw new SyntaxError(message); };
      try {
        expect(() => decodeModel(text, 'm.json')).toThrow(/^m\.json is truncated/);
      } finally {
        JSON.parse = parse;
      }
    }
  });

  it('reads version 1 files (weights-only checksum) and files with a UTF-8 byte-order mark', () => {
    const m = tinyModel();
    const v2 = JSON.parse(encodeModel(m));
    const v1 = { ...v2, version: 1, weights: { ...v2.weights, crc32: weightsChecksum(m.weights) } };
    delete v1.checksum;
    delete v1.preprocessing.kind;
    const back = decodeModel(JSON.stringify(v1), 'old.json');
    expect(Array.from(back.weights)).toEqual(Array.from(m.weights));
    expect(Array.from(back.preprocessing.mean)).toEqual(Array.from(m.preprocessing.mean));
    v1.weights.values[0] += 1;
    expect(() => decodeModel(JSON.stringify(v1), 'old.json')).toThrow(/old\.json: the weights do not match their checksum/);
    expect(decodeModel(`\ufeff${encodeModel(m)}`, 'bom.json').classNames).toEqual(['a', 'b', 'c']);
  });

  it('refuses a preprocessing kind it does not know, naming it', () => {
    const doc = JSON.parse(encodeModel(tinyModel()));
    doc.preprocessing.kind = 'embedding';
    expect(() => decodeModel(JSON.stringify(doc), 'm.json')).toThrow(/"preprocessing" has kind "embedding"; this descent knows "pixels" and "features"/);
  });

  it('predicts from raw pixels: argmax of (pixels·scale − mean, 1)·W, probabilities sum to 1', () => {
    const m = tinyModel();
    const pixels = Uint8Array.from([0, 51, 102, 153, 204, 255]);
    const p = predictImage(m, pixels);
    const x = [...Array.from(pixels, (v, j) => Math.fround(v / 255 - m.preprocessing.mean[j]!)), 1];
    const expected = [0, 1, 2].map((j) => x.reduce((s, xi, i) => s + xi * m.weights[i * 3 + j]!, 0));
    expected.forEach((s, j) => expect(p.scores[j]).toBeCloseTo(s, 6));
    expect(p.label).toBe(expected.indexOf(Math.max(...expected)));
    expect(p.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 15);
  });
});
