/** Browser stand-in for ort-node-import.ts: onnxruntime-node is a native Node addon. */
export const importOrtNodeModule = (): Promise<unknown> =>
  Promise.reject(new Error('onnxruntime-node is a native Node.js addon and does not run in a browser'));
