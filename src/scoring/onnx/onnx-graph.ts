import { onnx } from 'onnx-proto';

/**
 * Small typed helpers over the onnx-proto (protobufjs) classes, so model builders read like the
 * graph they describe. onnx-proto 8 carries ONNX 1.10 (IR version 8), which onnxruntime 1.30 loads.
 */
export const IR_VERSION = 8;
/** Opset 13: Sigmoid/MatMul/Add/Concat/Cast as used here are stable since then, and ORT 1.30 runs 13-22. */
export const DEFAULT_OPSET = 13;

export const ElemType = onnx.TensorProto.DataType;
export type ElemType = onnx.TensorProto.DataType;

/** Element types by the names onnxruntime-node reports (`Tensor.Type`), which documents also use. */
export const ELEM_TYPE_BY_NAME = {
  float32: ElemType.FLOAT,
  float64: ElemType.DOUBLE,
  int32: ElemType.INT32,
  int64: ElemType.INT64,
  bool: ElemType.BOOL,
  string: ElemType.STRING,
} as const;
export type ElemTypeName = keyof typeof ELEM_TYPE_BY_NAME;

/** A dimension: a number is fixed, a string is symbolic (e.g. "N"), null is unknown. */
export type Dim = number | string | null;

export function tensorValueInfo(name: string, elemType: ElemType, dims: Dim[], docString?: string): onnx.IValueInfoProto {
  return {
    name,
    docString: docString ?? null,
    type: {
      tensorType: {
        elemType,
        shape: { dim: dims.map((d) => (typeof d === 'string' ? { dimParam: d } : d === null ? {} : { dimValue: d })) },
      },
    },
  };
}

/** A float32 constant; values are rounded to float32 exactly as ORT will see them. */
export function floatInitializer(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  const expected = dims.reduce((a, b) => a * b, 1);
  if (values.length !== expected) throw new RangeError(`initializer ${name}: ${values.length} values for shape [${dims.join(', ')}]`);
  return { name, dims, dataType: ElemType.FLOAT, floatData: Array.from(Float32Array.from(values)) };
}

export function node(opType: string, inputs: string[], outputs: string[], name: string, attribute: onnx.IAttributeProto[] = []): onnx.INodeProto {
  return { opType, input: inputs, output: outputs, name, attribute };
}

export function intAttribute(name: string, value: number): onnx.IAttributeProto {
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

export interface ModelParts {
  graphName: string;
  nodes: onnx.INodeProto[];
  initializers: onnx.ITensorProto[];
  inputs: onnx.IValueInfoProto[];
  outputs: onnx.IValueInfoProto[];
  docString?: string;
  /** Key/value pairs ORT exposes as custom metadata (e.g. the feature order the model was fit on). */
  metadata?: Record<string, string>;
  opset?: number;
  producerVersion?: string;
}

/** Builds, verifies and serializes a ModelProto. Throws on a structurally invalid message. */
export function encodeModel(parts: ModelParts): Uint8Array {
  const model: onnx.IModelProto = {
    irVersion: IR_VERSION,
    opsetImport: [{ domain: '', version: parts.opset ?? DEFAULT_OPSET }],
    producerName: 'tessera',
    producerVersion: parts.producerVersion ?? '0.1.0',
    docString: parts.docString ?? null,
    metadataProps: Object.entries(parts.metadata ?? {}).map(([key, value]) => ({ key, value })),
    graph: {
      name: parts.graphName,
      node: parts.nodes,
      initializer: parts.initializers,
      input: parts.inputs,
      output: parts.outputs,
    },
  };
  const problem = onnx.ModelProto.verify(model);
  if (problem) throw new TypeError(`invalid ModelProto: ${problem}`);
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
