/**
 * What the backend needs from an ONNX Runtime package. onnxruntime-node and onnxruntime-web
 * expose the same onnxruntime-common API, so one type serves both; each backend keeps the
 * module it loaded, because a Tensor must come from the runtime whose session reads it.
 */
import type * as OrtWeb from 'onnxruntime-web';
import type { ResidencyPlan } from '../residency.js';

export type OrtModule = typeof OrtWeb;
export type OrtSession = OrtWeb.InferenceSession;
export type OrtTensor = OrtWeb.Tensor;
export type SessionOptions = OrtWeb.InferenceSession.SessionOptions;

export { ONNX_BACKEND_IDS, type OnnxBackendId } from '../ids.js';

export interface OnnxBackendOptions {
  /**
   * Threads per session (onnxruntime-node intra-op threads; onnxruntime-web wasm threads,
   * which need cross-origin isolation in a browser). Default 1: on a 2-vCPU machine the two
   * hyperthreads share one core's FMA units, so a second thread rarely helps (ENV-NOTES);
   * measured on onnx-cpu, CIFAR shape, all rows: 72.7 ms with 1 thread, 87.7 ms with 2.
   */
  readonly threads?: number;
  /**
   * How X stays resident, for all-row and selected-row graphs (residency.ts has the
   * measurements behind each runtime's default); other values are for measuring.
   */
  readonly residency?: ResidencyPlan;
}

/** A loaded runtime: the module and the options every session of one backend id uses. */
export interface LoadedRuntime {
  readonly ort: OrtModule;
  readonly sessionOptions: SessionOptions;
  /** Package name, for messages. */
  readonly packageName: 'onnxruntime-node' | 'onnxruntime-web';
  /**
   * Whether the provider runs ScatterElements itself. onnxruntime-web's WebGPU provider (JSEP)
   * has no kernel for it: ORT would run that node on the CPU, reading the batch's
   * probabilities back from the GPU mid-graph, so its softmax graphs subtract a one-hot instead.
   */
  readonly scatters: boolean;
}
