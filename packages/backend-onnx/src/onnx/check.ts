/**
 * The rules of ONNX's model checker (onnx.checker.check_model) that apply to the models
 * descent writes, so a malformed graph fails in a test with a readable reason instead of
 * deep inside a runtime:
 * - IR version and opset import: one default-domain import, opset 17 (what ops.ts knows),
 *   which needs IR ≥ 8;
 * - every graph input and output typed: tensor elem_type and a shape whose dimensions are
 *   values ≥ 0 or non-empty names;
 * - initializers typed, with dims ≥ 0 and exactly the bytes their dims call for;
 * - names: every value defined once (SSA), node names unique, the graph named;
 * - nodes: op known in opset 17, input/output counts within its arity, known attributes
 *   (required ones present, none twice), and every input defined before use (topological
 *   order); every graph output produced.
 */
import { ELEM_BYTES, IR_VERSION, OPSET } from './builder.js';
import { OPSET_17 } from './ops.js';
import type { GraphProto, ModelProto, TensorProto, ValueInfoProto } from './schema.js';

const DEFAULT_DOMAINS = new Set(['', 'ai.onnx']);
const MIN_IR_FOR_OPSET_17 = 8;

/** Every rule the model breaks, each naming where; empty when it passes. */
export function checkModel(model: ModelProto): string[] {
  const problems: string[] = [];
  if (!(Number.isInteger(model.ir_version) && model.ir_version >= 3)) {
    problems.push(`model: ir_version ${model.ir_version} is missing or below 3`);
  }
  const defaults = (model.opset_import ?? []).filter((o) => DEFAULT_DOMAINS.has(o.domain ?? ''));
  const domains = new Set<string>();
  for (const o of model.opset_import ?? []) {
    const dom = DEFAULT_DOMAINS.has(o.domain ?? '') ? '' : o.domain;
    if (domains.has(dom)) problems.push(`model: opset_import names domain '${dom}' twice`);
    domains.add(dom);
  }
  if (defaults.length === 0) problems.push('model: opset_import has no entry for the default ONNX domain');
  else if (defaults[0]!.version !== OPSET) {
    problems.push(`model: opset_import imports default-domain opset ${defaults[0]!.version}; this checker knows opset ${OPSET}`);
  } else if (model.ir_version < MIN_IR_FOR_OPSET_17) {
    problems.push(`model: opset ${OPSET} needs ir_version ≥ ${MIN_IR_FOR_OPSET_17}, got ${model.ir_version} (IR ${IR_VERSION} is written)`);
  }
  if (!model.graph) problems.push('model: graph is missing');
  else checkGraph(model.graph, problems);
  return problems;
}

/** Throws an Error listing every problem when the model breaks a rule. */
export function assertValidModel(model: ModelProto): void {
  const problems = checkModel(model);
  if (problems.length > 0) {
    throw new Error(`ONNX model '${model.graph?.name ?? '?'}' fails ${problems.length} checker rule(s):\n  ${problems.join('\n  ')}`);
  }
}

function checkValueInfo(v: ValueInfoProto, where: string, problems: string[]): void {
  if (!v.name) problems.push(`${where}: name is empty`);
  const t = v.type?.tensor_type;
  if (!t) { problems.push(`${where} '${v.name}': no tensor type`); return; }
  if (!t.elem_type || ELEM_BYTES[t.elem_type] === undefined) {
    problems.push(`${where} '${v.name}': elem_type ${t.elem_type ?? 'missing'} is not a known tensor type`);
  }
  if (!t.shape) { problems.push(`${where} '${v.name}': no shape`); return; }
  (t.shape.dim ?? []).forEach((dim, k) => {
    const ok = 'dim_value' in dim && dim.dim_value !== undefined ? Number.isInteger(dim.dim_value) && dim.dim_value >= 0
      : 'dim_param' in dim && typeof dim.dim_param === 'string' && dim.dim_param.length > 0;
    if (!ok) problems.push(`${where} '${v.name}': dimension ${k} is neither a size ≥ 0 nor a name`);
  });
}

function checkInitializer(t: TensorProto, problems: string[]): void {
  const where = `initializer '${t.name}'`;
  if (!t.name) problems.push('initializer: name is empty');
  const bytes = ELEM_BYTES[t.data_type];
  if (bytes === undefined) { problems.push(`${where}: data_type ${t.data_type ?? 'missing'} is not a known tensor type`); return; }
  const dims = t.dims ?? [];
  if (dims.some((d) => !(Number.isInteger(d) && d >= 0))) problems.push(`${where}: dims [${dims.join(', ')}] must be integers ≥ 0`);
  const expected = dims.reduce((a, b) => a * b, 1) * bytes;
  const got = t.raw_data?.length ?? 0;
  if (got !== expected) problems.push(`${where}: raw_data has ${got} bytes, dims [${dims.join(', ')}] need ${expected}`);
}

function checkGraph(g: GraphProto, problems: string[]): void {
  if (!g.name) problems.push('graph: name is empty');
  const defined = new Set<string>();
  const define = (name: string, what: string): void => {
    if (defined.has(name)) problems.push(`${what}: value '${name}' is already defined (names must be unique)`);
    defined.add(name);
  };
  for (const v of g.input ?? []) { checkValueInfo(v, 'graph input', problems); define(v.name, 'graph input'); }
  const inputNames = new Set((g.input ?? []).map((v) => v.name));
  for (const t of g.initializer ?? []) {
    checkInitializer(t, problems);
    // An initializer may share its name with a graph input (it is then the input's default).
    if (!inputNames.has(t.name)) define(t.name, `initializer '${t.name}'`);
  }
  const nodeNames = new Set<string>();
  (g.node ?? []).forEach((node, k) => {
    const where = `node ${k} (${node.op_type}${node.name ? ` '${node.name}'` : ''})`;
    if (node.name) {
      if (nodeNames.has(node.name)) problems.push(`${where}: node name is not unique`);
      nodeNames.add(node.name);
    }
    if (!DEFAULT_DOMAINS.has(node.domain ?? '')) problems.push(`${where}: domain '${node.domain}' is not imported`);
    const schema = OPSET_17[node.op_type];
    const inputs = node.input ?? [], outputs = node.output ?? [], attrs = node.attribute ?? [];
    if (!schema) {
      problems.push(`${where}: op '${node.op_type}' is not an opset-${OPSET} operator known to this checker`);
    } else {
      const [iMin, iMax] = schema.inputs, [oMin, oMax] = schema.outputs;
      if (inputs.length < iMin || inputs.length > iMax) {
        problems.push(`${where}: ${inputs.length} inputs, ${node.op_type} takes ${iMin}${iMax === iMin ? '' : `…${iMax === Infinity ? '∞' : iMax}`}`);
      }
      if (outputs.length < oMin || outputs.length > oMax) {
        problems.push(`${where}: ${outputs.length} outputs, ${node.op_type} gives ${oMin}${oMax === oMin ? '' : `…${oMax}`}`);
      }
      const seen = new Set<string>();
      for (const a of attrs) {
        if (seen.has(a.name)) problems.push(`${where}: attribute '${a.name}' appears twice`);
        seen.add(a.name);
        if (!schema.attrs.includes(a.name)) problems.push(`${where}: ${node.op_type} has no attribute '${a.name}'`);
        if (!a.type) problems.push(`${where}: attribute '${a.name}' has no type`);
      }
      for (const r of schema.required ?? []) if (!seen.has(r)) problems.push(`${where}: required attribute '${r}' is missing`);
      if (node.op_type === 'Constant' && attrs.length !== 1) problems.push(`${where}: Constant needs exactly one value attribute`);
    }
    inputs.forEach((name, j) => {
      if (name !== '' && !defined.has(name)) {
        problems.push(`${where}: input ${j} '${name}' is not defined before this node (graph inputs, initializers and earlier nodes' outputs only)`);
      }
    });
    for (const name of outputs) {
      if (!name) problems.push(`${where}: an output has an empty name`);
      else define(name, where);
    }
  });
  for (const v of g.output ?? []) {
    checkValueInfo(v, 'graph output', problems);
    if (!defined.has(v.name)) problems.push(`graph output '${v.name}' is never produced`);
  }
}
