// Frames as the server sends them: one binary message holding a JSON header and the raw arrays.
// The layout is described in src/dropout_playground/protocol/wire.py.

export type TypedArray = Uint8Array | Int32Array | Float32Array;

export interface WireArray {
  dtype: "uint8" | "int32" | "float32";
  shape: number[];
  data: TypedArray;
}

export interface Frame {
  figure: string;
  /** The id of the newest command whose effect this frame shows (the one it answers, or the last before a
   * frame the figure sent by itself while playing); null before any command (the first frame). */
  id: number | null;
  /** For a figure the server can play (train on its own at a rate): whether it is playing. */
  playing?: boolean;
  values: Record<string, unknown>;
  arrays: Record<string, WireArray>;
}

interface ArraySpec {
  dtype: string;
  shape: number[];
  offset: number;
}

const CONSTRUCTORS = { uint8: Uint8Array, int32: Int32Array, float32: Float32Array } as const;

// The wire is little-endian; typed arrays use the machine's order, which is little-endian on every
// browser platform in use, but a big-endian machine gets copies read through a DataView instead.
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isDtype(name: string): name is WireArray["dtype"] {
  return name === "uint8" || name === "int32" || name === "float32";
}

function view(buffer: ArrayBuffer, start: number, spec: ArraySpec): TypedArray {
  if (!isDtype(spec.dtype)) throw new Error(`frame array has an unknown dtype ${spec.dtype}`);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const Kind = CONSTRUCTORS[spec.dtype];
  const byteOffset = start + spec.offset;
  if (byteOffset + count * Kind.BYTES_PER_ELEMENT > buffer.byteLength) {
    throw new Error("frame is shorter than its header says");
  }
  if (LITTLE_ENDIAN || Kind === Uint8Array) return new Kind(buffer, byteOffset, count);
  const data = new DataView(buffer, byteOffset);
  const copy = new Kind(count);
  for (let i = 0; i < count; i++) {
    copy[i] = Kind === Float32Array ? data.getFloat32(i * 4, true) : data.getInt32(i * 4, true);
  }
  return copy;
}

/** Decode one binary frame. The arrays are views on `buffer` (no copies), valid as long as it is. */
export function decodeFrame(buffer: ArrayBuffer): Frame {
  const headerLength = new DataView(buffer).getUint32(0, true);
  const headerText = new TextDecoder().decode(new Uint8Array(buffer, 4, headerLength));
  const header = JSON.parse(headerText) as {
    type: string;
    figure: string;
    id: number | null;
    playing?: boolean;
    values: Record<string, unknown>;
    arrays: Record<string, ArraySpec>;
  };
  if (header.type !== "frame") throw new Error(`expected a frame, got ${header.type}`);
  const start = 4 + headerLength;
  const arrays: Record<string, WireArray> = {};
  for (const [name, spec] of Object.entries(header.arrays)) {
    arrays[name] = { dtype: spec.dtype as WireArray["dtype"], shape: spec.shape, data: view(buffer, start, spec) };
  }
  const frame: Frame = { figure: header.figure, id: header.id ?? null, values: header.values, arrays };
  if (typeof header.playing === "boolean") frame.playing = header.playing;
  return frame;
}

/** The array `name` of a frame, checked to be of the kind a view expects. */
export function frameArray<T>(frame: Frame, name: string, kind: new (...args: never[]) => T): T {
  const found = frame.arrays[name]?.data;
  if (!(found instanceof kind)) throw new Error(`the frame has no ${kind.name} named ${name}`);
  return found;
}
