/**
 * What a WebM (Matroska/EBML) file says about itself, read from its element tree without decoding anything: the
 * DocType ("webm" or "matroska"), the first video track's pixel size and the duration. Enough to refuse a Matroska
 * file, a WebM without video, or one whose frame size would be a pixel bomb for the frame grabber, before ffmpeg runs.
 * Clusters (the frames) are skipped by their sizes; reading stops at the first cluster once tracks are known.
 */
export type WebmInfo = { docType: string | null; width: number | null; height: number | null; durationMs: number | null };

const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackType: 0x83,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
} as const;

const MASTERS = new Set<number>([ID.EBML, ID.Segment, ID.Info, ID.Tracks, ID.TrackEntry, ID.Video]);

/** A variable-length integer at `at`: its value (marker bit removed unless `keepMarker`) and length; null if invalid. */
function vint(b: Uint8Array, at: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | null {
  const first = b[at];
  if (first === undefined || first === 0) return null;
  const length = Math.clz32(first) - 23; // 1..8
  if (at + length > b.length) return null;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + b[at + i]!;
    if (b[at + i] !== 0xff) allOnes = false;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

const uint = (b: Uint8Array, at: number, size: number) => {
  let value = 0;
  for (let i = 0; i < size; i++) value = value * 256 + b[at + i]!;
  return value;
};

function float(b: Uint8Array, at: number, size: number): number | null {
  const view = new DataView(b.buffer, b.byteOffset + at, size);
  if (size === 4) return view.getFloat32(0);
  if (size === 8) return view.getFloat64(0);
  return null;
}

export function webmInfo(bytes: Uint8Array): WebmInfo | null {
  if (bytes.length < 4 || uint(bytes, 0, 4) !== ID.EBML) return null;
  const info: WebmInfo = { docType: null, width: null, height: null, durationMs: null };
  let timecodeScale = 1_000_000; // ns per tick (the default)
  let duration: number | null = null;
  let track: { type: number | null; width: number | null; height: number | null } | null = null;
  let done = false;

  const finishTrack = () => {
    if (track && (track.type === 1 || track.type === null) && track.width && track.height && info.width === null) {
      info.width = track.width;
      info.height = track.height;
    }
    track = null;
  };

  const walk = (start: number, end: number, depth: number) => {
    let at = start;
    while (at < end && !done) {
      const id = vint(bytes, at, true);
      if (!id) return;
      const size = vint(bytes, at + id.length, false);
      if (!size) return;
      const body = at + id.length + size.length;
      const bodyEnd = size.unknown ? end : Math.min(end, body + size.value);
      if (id.value === ID.Cluster) {
        if (info.width !== null) done = true;
      } else if (MASTERS.has(id.value) && depth < 6) {
        if (id.value === ID.TrackEntry) track = { type: null, width: null, height: null };
        walk(body, bodyEnd, depth + 1);
        if (id.value === ID.TrackEntry) finishTrack();
      } else if (bodyEnd <= bytes.length) {
        const n = bodyEnd - body;
        if (id.value === ID.DocType) info.docType = String.fromCharCode(...bytes.subarray(body, bodyEnd)).replace(/\0+$/, "");
        else if (id.value === ID.TimecodeScale && n <= 8) timecodeScale = uint(bytes, body, n);
        else if (id.value === ID.Duration) duration = float(bytes, body, n);
        else if (track && id.value === ID.TrackType && n <= 8) track.type = uint(bytes, body, n);
        else if (track && id.value === ID.PixelWidth && n <= 8) track.width = uint(bytes, body, n);
        else if (track && id.value === ID.PixelHeight && n <= 8) track.height = uint(bytes, body, n);
      }
      if (size.unknown) return;
      at = bodyEnd;
    }
  };

  walk(0, bytes.length, 0);
  if (duration !== null && Number.isFinite(duration) && duration > 0) info.durationMs = Math.round((duration * timecodeScale) / 1_000_000);
  return info;
}
