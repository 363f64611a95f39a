/**
 * ModelProto ⇄ bytes with protobufjs. Tensors travel as raw_data views over the caller's
 * typed arrays: encoding copies each one once into the output, and never builds a JS array of
 * its elements, so a 600 MB initializer costs 600 MB in the output and nothing more.
 */
import { ModelProtoType } from './schema.js';
import type { ModelProto } from './schema.js';

/** Serialized ONNX model bytes. */
export function encodeModel(model: ModelProto): Uint8Array {
  return ModelProtoType.encode(model as unknown as Record<string, unknown>).finish();
}

/** Decodes ONNX model bytes into plain objects (int64 as numbers, bytes as Uint8Array). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const message = ModelProtoType.decode(bytes);
  return ModelProtoType.toObject(message, { longs: Number, bytes: Uint8Array as unknown as typeof Array, defaults: false, arrays: true, oneofs: false }) as ModelProto;
}
