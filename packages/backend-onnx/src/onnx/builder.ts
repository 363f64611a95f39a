/**
 * A small typed builder for ONNX graphs (IR 8, opset 17): inputs and outputs with symbolic
 * dimensions, initializers as raw bytes, nodes in the order they are added (which is the
 * topological order the ONNX checker requires, because a node can only name values that
 * already exist). Every name is checked as it is used, so a mistake fails where it is made.
 */
import { AttributeType, DataType } from './schema.js';
import type { AttributeProto, DimensionProto, GraphProto, ModelProto, NodeProto, TensorProto, ValueInfoProto } from './schema.js';
import { encodeModel } from './proto.js';

export const IR_VERSION = 8;
export const OPSET = 17;

export type ElemType = 'float32' | 'float64' | 'int32' | 'int64' | 'uint8' | 'bool';
/** A dimension: a fixed size, or a name shared by every tensor with that (run-time) size. */
export type Dim = number | string;

export const ELEM_CODE: Readonly<Record<ElemType, number>> = {
  float32: DataType.FLOAT, float64: DataType.DOUBLE, int32: DataType.INT32, int64: DataType.INT64,
  uint8: DataType.UINT8, bool: DataType.BOOL,
};
/** Bytes per element, by TensorProto.DataType code. */
export const ELEM_BYTES: Readonly<Record<number, number>> = {
  [DataType.FLOAT]: 4, [DataType.DOUBLE]: 8, [DataType.INT32]: 4, [DataType.INT64]: 8,
  [DataType.UINT8]: 1, [DataType.BOOL]: 1,
};

/** A float attribute (plain numbers are ints, as ONNX attributes are typed). */
export interface FloatAttr { readonly float: number }
export const float = (value: number): FloatAttr => ({ float: value });
export type AttrValue = number | readonly number[] | FloatAttr | string | TensorProto;

export type TensorData = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** A TensorProto whose raw_data views `data`'s bytes (no copy until the model is encoded). */
export function tensorProto(name: string, type: ElemType, dims: readonly number[], data: TensorData): TensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) {
    throw new RangeError(`tensor '${name}': ${data.length} values for dims [${dims.join(', ')}] (${count})`);
  }
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return { name, dims: [...dims], data_type: ELEM_CODE[type], raw_data: raw };
}

function valueInfo(name: string, type: ElemType, dims: readonly Dim[]): ValueInfoProto {
  const dim: DimensionProto[] = dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d }));
  return { name, type: { tensor_type: { elem_type: ELEM_CODE[type], shape: { dim } } } };
}

function attribute(name: string, value: AttrValue): AttributeProto {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`attribute '${name}': ${value} is not an integer; wrap floats in float()`);
    return { name, type: AttributeType.INT, i: value };
  }
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: [...value] };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.TENSOR, t: value as TensorProto };
}

export class GraphBuilder {
  private readonly nodes: NodeProto[] = [];
  private readonly inits: TensorProto[] = [];
  private readonly inputs: ValueInfoProto[] = [];
  private readonly outputs: ValueInfoProto[] = [];
  private readonly defined = new Set<string>();
  private readonly counts = new Map<string, number>();

  constructor(readonly name: string, readonly docString = '') {}

  private define(name: string): string {
    if (this.defined.has(name)) throw new Error(`graph '${this.name}': value '${name}' is defined twice`);
    this.defined.add(name);
    return name;
  }

  /** A fresh value name: '<hint>_<k>'. */
  private fresh(hint: string): string {
    let k = this.counts.get(hint) ?? 0;
    let name: string;
    do name = `${hint}_${k++}`; while (this.defined.has(name));
    this.counts.set(hint, k);
    return name;
  }

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return this.define(name);
  }

  /** A constant stored in the model (weights, resident data, small constants). */
  initializer(name: string, type: ElemType, dims: readonly number[], data: TensorData): string {
    this.inits.push(tensorProto(name, type, dims, data));
    return this.define(name);
  }

  /** A float32 scalar or vector constant. */
  constFloat(name: string, values: readonly number[] | number): string {
    return typeof values === 'number'
      ? this.initializer(name, 'float32', [], Float32Array.of(values))
      : this.initializer(name, 'float32', [values.length], Float32Array.from(values));
  }

  /** An int64 vector constant (axes, shapes). */
  constInt64(name: string, values: readonly number[]): string {
    return this.initializer(name, 'int64', [values.length], BigInt64Array.from(values, BigInt));
  }

  /** Adds one node and returns its single output's name ('' inputs mark omitted optionals). */
  op(opType: string, inputs: readonly string[], attrs: Readonly<Record<string, AttrValue>> = {}, outName?: string): string {
    return this.opN(opType, inputs, 1, attrs, outName === undefined ? undefined : [outName])[0]!;
  }

  /** Adds one node with `outputs` results. */
  opN(opType: string, inputs: readonly string[], outputs: number, attrs: Readonly<Record<string, AttrValue>> = {},
    outNames?: readonly string[]): string[] {
    for (const v of inputs) {
      if (v !== '' && !this.defined.has(v)) {
        throw new Error(`graph '${this.name}': ${opType} uses '${v}' before it is defined`);
      }
    }
    const output = Array.from({ length: outputs }, (_, k) => this.define(outNames?.[k] ?? this.fresh(opType)));
    this.nodes.push({
      input: [...inputs], output, name: `${opType}_node_${this.nodes.length}`, op_type: opType, domain: '',
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return output;
  }

  /** Declares a defined value as a graph output with its type and shape. */
  output(name: string, type: ElemType, dims: readonly Dim[]): void {
    if (!this.defined.has(name)) throw new Error(`graph '${this.name}': output '${name}' is never computed`);
    this.outputs.push(valueInfo(name, type, dims));
  }

  graph(): GraphProto {
    return { name: this.name, node: this.nodes, initializer: this.inits, input: this.inputs, output: this.outputs,
      doc_string: this.docString };
  }

  /** The model: this graph, IR 8, opset 17, and optional metadata (key → value strings). */
  model(metadata: Readonly<Record<string, string>> = {}): ModelProto {
    return { ir_version: IR_VERSION, opset_import: [{ domain: '', version: OPSET }], producer_name: 'descent',
      producer_version: '0.1.0', graph: this.graph(),
      metadata_props: Object.entries(metadata).map(([key, value]) => ({ key, value })) };
  }

  encode(metadata: Readonly<Record<string, string>> = {}): Uint8Array {
    return encodeModel(this.model(metadata));
  }
}
