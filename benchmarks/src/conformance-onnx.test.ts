import { createOnnxBackend } from '@descent/backend-onnx';
import { describeConformance } from './conformance.js';

describeConformance({ id: 'onnx-cpu', precision: 'float32', create: () => createOnnxBackend('onnx-cpu') });
describeConformance({ id: 'onnx-wasm', precision: 'float32', create: () => createOnnxBackend('onnx-wasm') });
