import { describe, expect, it } from 'vitest';
import { GEMM_MIN_CLASSES, GRAPH_UPDATE_RULES, objectiveGraph } from '../graphs/objective.js';
import { scoresGraph } from '../graphs/scores.js';
import { exportClassifierOnnx } from '../export/classifier.js';
import { GraphBuilder, float, IR_VERSION, OPSET } from './builder.js';
import { assertValidModel, checkModel } from './check.js';
import { decodeModel, encodeModel } from './proto.js';
import type { ModelProto } from './schema.js';

const data = { n: 5, d: 4, c: 3, x: Float32Array.from({ length: 20 }, (_, i) => i / 7), y: Int32Array.of(0, 1, 2, 1, 0) };
/** Enough classes for the selected-row gradient's Gemm form. */
const wide = { ...data, c: GEMM_MIN_CLASSES, y: Int32Array.of(0, 63, 2, 40, 0) };

/** Every graph the backend builds, under every residency and selection. */
function allGraphs(): ModelProto[] {
  const models: ModelProto[] = [];
  for (const residency of ['initializer', 'input', 'initializer+xt'] as const) {
    for (const selection of ['all', 'rows'] as const) {
      for (const loss of ['svm', 'softmax', 'crammer-singer'] as const) {
        for (const wantGradient of [false, true]) {
          for (const set of [data, wide]) {
            for (const scatter of [true, false]) {
              // The gradient, and the resident trainer's step for each rule it applies.
              for (const update of wantGradient ? [undefined, ...GRAPH_UPDATE_RULES] : [undefined]) {
                models.push(objectiveGraph({ loss, wantGradient, residency, selection, scatter, ...(update ? { update } : {}) }, set).model());
              }
            }
          }
        }
      }
      models.push(scoresGraph(residency, selection, data).model());
    }
  }
  return models;
}

function tiny(): GraphBuilder {
  const g = new GraphBuilder('tiny');
  const a = g.input('a', 'float32', ['batch', 2]);
  const b = g.initializer('b', 'float32', [2], Float32Array.of(1, 2));
  g.op('Add', [a, b], {}, 'c');
  g.output('c', 'float32', ['batch', 2]);
  return g;
}

describe('graph builder', () => {
  it('writes IR 8, opset 17, symbolic batch dimensions and typed initializers', () => {
    const m = tiny().model();
    expect(m.ir_version).toBe(IR_VERSION);
    expect(m.opset_import).toEqual([{ domain: '', version: OPSET }]);
    expect(m.graph.input[0]!.type.tensor_type.shape.dim).toEqual([{ dim_param: 'batch' }, { dim_value: 2 }]);
    expect(m.graph.initializer[0]).toMatchObject({ name: 'b', dims: [2], data_type: 1 });
  });

  it('fails where a mistake is made: undefined inputs, names defined twice, untyped float attributes', () => {
    const g = tiny();
    expect(() => g.op('Relu', ['nope'])).toThrow(/Relu uses 'nope' before it is defined/);
    expect(() => g.input('a', 'float32', [1])).toThrow(/value 'a' is defined twice/);
    expect(() => g.op('Gemm', ['a', 'b'], { alpha: 0.5 })).toThrow(/attribute 'alpha': 0.5 is not an integer; wrap floats in float\(\)/);
    expect(() => g.output('missing', 'float32', [1])).toThrow(/output 'missing' is never computed/);
    expect(() => g.initializer('t', 'float32', [2, 2], new Float32Array(3))).toThrow(/3 values for dims \[2, 2\] \(4\)/);
  });
});

describe('protobuf round trip', () => {
  it('decodes what it encodes, field for field, including raw tensor bytes and float attributes', () => {
    const g = tiny();
    g.op('Gemm', ['a', 'a'], { alpha: float(0.5), transB: 1 }, 'gram');
    g.output('gram', 'float32', ['batch', 'batch']);
    const model = g.model({ note: 'round trip' });
    const back = decodeModel(encodeModel(model));
    expect(back.ir_version).toBe(8);
    expect(back.opset_import).toEqual([{ domain: '', version: 17 }]);
    expect(back.metadata_props).toEqual([{ key: 'note', value: 'round trip' }]);
    expect(back.graph.name).toBe('tiny');
    expect(back.graph.node.map((n) => n.op_type)).toEqual(['Add', 'Gemm']);
    const gemm = back.graph.node[1]!;
    expect(gemm.input).toEqual(['a', 'a']);
    expect(gemm.attribute).toEqual([
      expect.objectContaining({ name: 'alpha', type: 1, f: 0.5 }),
      expect.objectContaining({ name: 'transB', type: 2, i: 1 }),
    ]);
    const b = back.graph.initializer[0]!;
    expect(b.dims).toEqual([2]);
    expect(new Float32Array(Uint8Array.from(b.raw_data).buffer)).toEqual(Float32Array.of(1, 2));
    expect(back.graph.output.map((o) => o.type.tensor_type.shape.dim)).toEqual([
      [{ dim_param: 'batch' }, { dim_value: 2 }], [{ dim_param: 'batch' }, { dim_param: 'batch' }]]);
    expect(checkModel(back)).toEqual([]);
  });

  it('writes a large tensor from a view over its bytes, without a JS array of its elements', () => {
    const n = 4 * 1024 * 1024; // 16 MB of float32
    const big = new Float32Array(n);
    big[0] = 1.5; big[n - 1] = -2.5;
    const g = new GraphBuilder('big');
    const x = g.initializer('X', 'float32', [1024, 4096], big);
    g.op('Identity', [x], {}, 'y');
    g.output('y', 'float32', [1024, 4096]);
    const bytes = g.encode();
    expect(bytes.length).toBeGreaterThan(n * 4);
    const raw = decodeModel(bytes).graph.initializer[0]!.raw_data;
    const view = new Float32Array(new Uint8Array(raw).buffer); // a copy: the decoded view is not 4-byte aligned
    expect([view[0], view[n - 1]]).toEqual([1.5, -2.5]);
  });
});

describe('checker', () => {
  it('passes every graph the backend and the exporter build', () => {
    const models = allGraphs();
    for (const m of models) expect(checkModel(m), m.graph.name).toEqual([]);
    // Both gradient forms are among them (objective.ts: GEMM_MIN_CLASSES).
    const gemms = models.filter((m) => m.graph.node.some((n) => n.op_type === 'Gemm')).map((m) => m.graph.name);
    // Each loss, rows selected by 'initializer' and 'input' residency, at C = 64, either dS form, the gradient and three update rules.
    expect(gemms.length).toBe(3 * 2 * 2 * (1 + GRAPH_UPDATE_RULES.length));
    // The trainer's graphs put out W_next (and V_next for the momentum rules) instead of the gradient.
    const outputs = (m: ModelProto) => m.graph.output.map((o) => o.name);
    // They put out the loss's parts (the host adds reg·ΣW²) and take the step's scalars and the batch's labels from the host, so no op makes them.
    const inputs = (m: ModelProto) => m.graph.input.map((i) => i.name);
    const sgd = objectiveGraph({ loss: 'svm', wantGradient: true, residency: 'input', selection: 'rows', update: 'sgd' }, wide).model();
    expect(outputs(sgd)).toEqual(['data_loss', 'w_sum_squares', 'W_next']);
    expect(inputs(sgd)).toEqual(['W', 'X', 'rows', 'label', 'delta', 'step_scale', 'keep']);
    const nesterov = objectiveGraph({ loss: 'softmax', wantGradient: true, residency: 'input', selection: 'rows', update: 'nesterov' }, data).model();
    expect(outputs(nesterov)).toEqual(['data_loss', 'w_sum_squares', 'W_next', 'V_next']);
    expect(inputs(nesterov)).toEqual(['W', 'X', 'rows', 'label', 'minus_ones', 'step_scale', 'V', 'mu', 'decay', 'one_plus_mu']);
    expect(nesterov.graph.node.filter((n) => ['Shape', 'Cast', 'Div', 'Expand', 'Unsqueeze'].includes(n.op_type)).map((n) => n.op_type)).toEqual([]);
    expect(nesterov.graph.node.filter((n) => n.op_type === 'Gather').map((n) => n.output[0])).toEqual(['X_batch']);
    expect(gemms.every((name) => name.includes('loss_and_gradient_rows'))).toBe(true);
    // The softmax gradient scatters −1 at the labels unless the provider has no kernel for it.
    const scatters = (m: ModelProto) => m.graph.node.some((n) => n.op_type === 'ScatterElements');
    expect(scatters(objectiveGraph({ loss: 'softmax', wantGradient: true, residency: 'input', selection: 'rows' }, data).model())).toBe(true);
    expect(scatters(objectiveGraph({ loss: 'softmax', wantGradient: true, residency: 'input', selection: 'rows', scatter: false }, data).model())).toBe(false);
    const exported = decodeModel(exportClassifierOnnx({ weights: new Float64Array(3 * 2), classes: 2, classNames: ['a', 'b'],
      preprocessing: { mean: new Float32Array(2), scale: 1 / 255, features: 2 } }));
    expect(checkModel(exported)).toEqual([]);
  });

  it('rejects a bad opset import and IR version', () => {
    const m = tiny().model();
    expect(checkModel({ ...m, opset_import: [] })).toContain('model: opset_import has no entry for the default ONNX domain');
    expect(checkModel({ ...m, opset_import: [{ domain: '', version: 17 }, { domain: 'ai.onnx', version: 17 }] }))
      .toContain("model: opset_import names domain '' twice");
    expect(checkModel({ ...m, opset_import: [{ domain: '', version: 21 }] }).join()).toMatch(/imports default-domain opset 21/);
    expect(checkModel({ ...m, ir_version: 7 }).join()).toMatch(/opset 17 needs ir_version ≥ 8, got 7/);
  });

  it('rejects untyped inputs and outputs, and bad dimensions', () => {
    const m = tiny().model();
    const input = m.graph.input[0]!;
    const untyped = { ...m, graph: { ...m.graph, input: [{ ...input, type: { tensor_type: { elem_type: 0, shape: input.type.tensor_type.shape } } }] } };
    expect(checkModel(untyped).join()).toMatch(/graph input 'a': elem_type 0 is not a known tensor type/);
    const noShape = { ...m, graph: { ...m.graph, output: [{ name: 'c', type: { tensor_type: { elem_type: 1 } } } as never] } };
    expect(checkModel(noShape).join()).toMatch(/graph output 'c': no shape/);
    const badDim = { ...m, graph: { ...m.graph, input: [{ ...input, type: { tensor_type: { elem_type: 1, shape: { dim: [{ dim_param: '' }] } } } }] } };
    expect(checkModel(badDim).join()).toMatch(/dimension 0 is neither a size ≥ 0 nor a name/);
  });

  it('rejects nodes out of topological order, unknown ops, wrong arity and attributes, duplicate names', () => {
    const m = tiny().model();
    const add = m.graph.node[0]!;
    const relu = { input: ['c'], output: ['r'], name: 'relu', op_type: 'Relu', domain: '', attribute: [] };
    const swapped = { ...m, graph: { ...m.graph, node: [relu, add] } };
    expect(checkModel(swapped).join()).toMatch(/node 0 \(Relu 'relu'\): input 0 'c' is not defined before this node/);
    const unknown = { ...m, graph: { ...m.graph, node: [{ ...add, op_type: 'Frobnicate' }] } };
    expect(checkModel(unknown).join()).toMatch(/op 'Frobnicate' is not an opset-17 operator/);
    const arity = { ...m, graph: { ...m.graph, node: [{ ...add, input: ['a'] }] } };
    expect(checkModel(arity).join()).toMatch(/1 inputs, Add takes 2/);
    const attr = { ...m, graph: { ...m.graph, node: [{ ...add, attribute: [{ name: 'axes', type: 7, ints: [1] }] }] } };
    expect(checkModel(attr).join()).toMatch(/Add has no attribute 'axes'/);
    const cast = { ...m, graph: { ...m.graph, node: [{ ...add, op_type: 'Cast', input: ['a'] }] } };
    expect(checkModel(cast).join()).toMatch(/required attribute 'to' is missing/);
    const twice = { ...m, graph: { ...m.graph, node: [add, { ...add, name: 'other' }] } };
    expect(checkModel(twice).join()).toMatch(/value 'c' is already defined/);
    const sameName = { ...m, graph: { ...m.graph, node: [add, { ...relu, name: add.name }] } };
    expect(checkModel(sameName).join()).toMatch(/node name is not unique/);
    const dangling = { ...m, graph: { ...m.graph, node: [] } };
    expect(checkModel(dangling).join()).toMatch(/graph output 'c' is never produced/);
  });

  it('rejects initializers whose bytes do not match their dims and type', () => {
    const m = tiny().model();
    const b = m.graph.initializer[0]!;
    const short = { ...m, graph: { ...m.graph, initializer: [{ ...b, raw_data: new Uint8Array(4) }] } };
    expect(checkModel(short).join()).toMatch(/initializer 'b': raw_data has 4 bytes, dims \[2\] need 8/);
    const untyped = { ...m, graph: { ...m.graph, initializer: [{ ...b, data_type: 0 }] } };
    expect(checkModel(untyped).join()).toMatch(/initializer 'b': data_type 0 is not a known tensor type/);
    expect(() => assertValidModel(short)).toThrow(/ONNX model 'tiny' fails 1 checker rule/);
  });
});
