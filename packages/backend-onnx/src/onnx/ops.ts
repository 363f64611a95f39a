/**
 * The opset-17 operators the checker knows: how many inputs and outputs each takes and which
 * attributes it accepts (from ONNX's Operators.md at opset 17; note that ReduceMax/Mean/
 * SumSquare still take `axes` as an attribute there, while ReduceSum takes it as an input
 * since opset 13). Ops missing here are reported as unknown, not silently accepted.
 */
export interface OpSchema {
  /** [min, max] input count; max Infinity for variadic. */
  readonly inputs: readonly [number, number];
  readonly outputs: readonly [number, number];
  readonly attrs: readonly string[];
  readonly required?: readonly string[];
}

const binary: OpSchema = { inputs: [2, 2], outputs: [1, 1], attrs: [] };
const unary: OpSchema = { inputs: [1, 1], outputs: [1, 1], attrs: [] };
const reduceAttr: OpSchema = { inputs: [1, 1], outputs: [1, 1], attrs: ['axes', 'keepdims'] };
const variadic: OpSchema = { inputs: [1, Infinity], outputs: [1, 1], attrs: [] };

export const OPSET_17: Readonly<Record<string, OpSchema>> = {
  Add: binary, Sub: binary, Mul: binary, Div: binary, Pow: binary, MatMul: binary,
  Equal: binary, Greater: binary, Less: binary, GreaterOrEqual: binary, LessOrEqual: binary, And: binary, Or: binary,
  Expand: binary,
  Neg: unary, Abs: unary, Relu: unary, Exp: unary, Log: unary, Sqrt: unary, Reciprocal: unary, Identity: unary,
  Not: unary, Sigmoid: unary, Tanh: unary, Floor: unary, Ceil: unary,
  Sum: variadic, Max: variadic, Min: variadic, Mean: variadic,
  Gemm: { inputs: [2, 3], outputs: [1, 1], attrs: ['alpha', 'beta', 'transA', 'transB'] },
  Gather: { inputs: [2, 2], outputs: [1, 1], attrs: ['axis'] },
  GatherElements: { inputs: [2, 2], outputs: [1, 1], attrs: ['axis'] },
  ScatterElements: { inputs: [3, 3], outputs: [1, 1], attrs: ['axis', 'reduction'] },
  Where: { inputs: [3, 3], outputs: [1, 1], attrs: [] },
  Cast: { inputs: [1, 1], outputs: [1, 1], attrs: ['to'], required: ['to'] },
  Unsqueeze: { inputs: [2, 2], outputs: [1, 1], attrs: [] },
  Squeeze: { inputs: [1, 2], outputs: [1, 1], attrs: [] },
  ReduceSum: { inputs: [1, 2], outputs: [1, 1], attrs: ['keepdims', 'noop_with_empty_axes'] },
  ReduceMax: reduceAttr, ReduceMin: reduceAttr, ReduceMean: reduceAttr, ReduceProd: reduceAttr,
  ReduceSumSquare: reduceAttr, ReduceL2: reduceAttr, ReduceLogSumExp: reduceAttr,
  Softmax: { inputs: [1, 1], outputs: [1, 1], attrs: ['axis'] },
  LogSoftmax: { inputs: [1, 1], outputs: [1, 1], attrs: ['axis'] },
  ArgMax: { inputs: [1, 1], outputs: [1, 1], attrs: ['axis', 'keepdims', 'select_last_index'] },
  ArgMin: { inputs: [1, 1], outputs: [1, 1], attrs: ['axis', 'keepdims', 'select_last_index'] },
  Shape: { inputs: [1, 1], outputs: [1, 1], attrs: ['start', 'end'] },
  Reshape: { inputs: [2, 2], outputs: [1, 1], attrs: ['allowzero'] },
  Transpose: { inputs: [1, 1], outputs: [1, 1], attrs: ['perm'] },
  Concat: { inputs: [1, Infinity], outputs: [1, 1], attrs: ['axis'], required: ['axis'] },
  Slice: { inputs: [3, 5], outputs: [1, 1], attrs: [] },
  OneHot: { inputs: [3, 3], outputs: [1, 1], attrs: ['axis'] },
  Range: { inputs: [3, 3], outputs: [1, 1], attrs: [] },
  Clip: { inputs: [1, 3], outputs: [1, 1], attrs: [] },
  Constant: { inputs: [0, 0], outputs: [1, 1],
    attrs: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings', 'sparse_value'] },
};
