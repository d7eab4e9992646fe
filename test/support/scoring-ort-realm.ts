/**
 * Jest runs each test file in a VM realm of its own, but onnxruntime-node's native binding creates
 * output typed arrays in Node's main realm, so onnxruntime-common's `data instanceof Float32Array`
 * fails under Jest ("A float32 tensor's data must be type of function Float32Array()";
 * jestjs/jest#11864 and #2549). This teaches the test realm's typed-array constructors to recognise
 * typed arrays of any realm by their brand. Tests only: the service runs in a single realm.
 * Import it before onnxruntime-node (or list it in Jest's `setupFiles`).
 */
// Not Uint8Array/Uint8ClampedArray: libraries in the test realm (light-my-request's multipart
// streams) branch on `instanceof Uint8Array` to tell Buffers apart, and bool outputs are not needed.
const TYPED_ARRAYS = ['Int8Array', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'] as const;

const ordinaryHasInstance = Function.prototype[Symbol.hasInstance];
for (const name of TYPED_ARRAYS) {
  const ctor = (globalThis as Record<string, unknown>)[name] as ((...args: unknown[]) => unknown) | undefined;
  if (!ctor || Object.prototype.hasOwnProperty.call(ctor, Symbol.hasInstance)) continue;
  Object.defineProperty(ctor, Symbol.hasInstance, {
    value: (value: unknown): boolean => ordinaryHasInstance.call(ctor, value) || (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === `[object ${name}]`),
  });
}

export {};
