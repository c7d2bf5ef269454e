import { ProbeError, type SniffedType } from "@/lib/media/probe";

/**
 * What an upload's name (its extension) or declared type claims it is, checked against what its first bytes are
 * (lib/media/upload.ts judges the bytes). A claim that disagrees with the content is refused with a sentence naming
 * both; a name without a known extension leaves the decision to the content. Pure: no I/O.
 */


const LABEL: Record<SniffedType, string> = {
  "image/png": "a PNG image",
  "image/jpeg": "a JPEG image",
  "image/webp": "a WebP image",
  "image/gif": "a GIF image",
  "video/mp4": "an MP4 video",
  "video/webm": "a WebM video",
  "audio/mpeg": "an MP3 audio file",
};

/** Extensions of the types we read, and of well-known other types (a file named like one is not ours to accept). */
const EXTENSIONS: Record<string, SniffedType | { other: string }> = {
  png: "image/png",
  apng: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  jpe: "image/jpeg",
  jfif: "image/jpeg",
  pjpeg: "image/jpeg",
  pjp: "image/jpeg",
  webp: "image/webp",
  gif: "image/gif",
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  mp3: "audio/mpeg",
  mov: { other: "a QuickTime movie" },
  qt: { other: "a QuickTime movie" },
  mkv: { other: "a Matroska video" },
  avi: { other: "an AVI video" },
  wmv: { other: "a Windows Media video" },
  heic: { other: "a HEIC image" },
  heif: { other: "a HEIF image" },
  avif: { other: "an AVIF image" },
  tif: { other: "a TIFF image" },
  tiff: { other: "a TIFF image" },
  bmp: { other: "a BMP image" },
  ico: { other: "an icon" },
  svg: { other: "an SVG drawing" },
  wav: { other: "a WAV audio file" },
  ogg: { other: "an Ogg file" },
  oga: { other: "an Ogg audio file" },
  m4a: { other: "an M4A audio file" },
  aac: { other: "an AAC audio file" },
  flac: { other: "a FLAC audio file" },
  html: { other: "a web page" },
  htm: { other: "a web page" },
  xhtml: { other: "a web page" },
  js: { other: "a script" },
  txt: { other: "a text file" },
  json: { other: "a JSON file" },
  xml: { other: "an XML file" },
  pdf: { other: "a PDF document" },
  zip: { other: "a zip archive" },
  exe: { other: "a program" },
};

/** Declared (Content-Type) values and what they claim; other declared types are not judged. */
const DECLARED: Record<string, SniffedType | { other: string }> = {
  "image/png": "image/png",
  "image/apng": "image/png",
  "image/x-png": "image/png",
  "image/jpeg": "image/jpeg",
  "image/jpg": "image/jpeg",
  "image/pjpeg": "image/jpeg",
  "image/webp": "image/webp",
  "image/gif": "image/gif",
  "video/mp4": "video/mp4",
  "video/x-m4v": "video/mp4",
  "video/webm": "video/webm",
  "audio/mpeg": "audio/mpeg",
  "audio/mp3": "audio/mpeg",
  "audio/mpeg3": "audio/mpeg",
  "audio/x-mpeg": "audio/mpeg",
  "audio/x-mp3": "audio/mpeg",
  "video/quicktime": { other: "a QuickTime movie" },
  "image/svg+xml": { other: "an SVG drawing" },
  "image/heic": { other: "a HEIC image" },
  "text/html": { other: "a web page" },
  "text/plain": { other: "a text file" },
  "application/pdf": { other: "a PDF document" },
};

const SUPPORTED = "Atelier takes PNG, JPEG, WebP and GIF images, MP4 and WebM videos, and MP3 audio.";

function extensionOf(name: string): string | null {
  const match = /\.([a-z0-9]{1,6})$/i.exec(name.trim());
  return match && /[a-z]/i.test(match[1]!) ? match[1]!.toLowerCase() : null;
}

const labelOf = (claim: SniffedType | { other: string }) => (typeof claim === "string" ? LABEL[claim] : claim.other);

/** Refuses a file whose name or declared type says it is something other than what its bytes are. */
export function checkClaims(name: string, declared: string, content: SniffedType | null): asserts content is SniffedType {
  const shown = name.trim() ? `“${name.trim()}”` : "This file";
  const extension = extensionOf(name);
  const byName = extension ? EXTENSIONS[extension] : undefined;
  const byType = DECLARED[declared.split(";")[0]!.trim().toLowerCase()];
  const claim = byName ?? byType;
  if (!content) {
    throw new ProbeError(
      claim ? `${shown} is named like ${labelOf(claim)}, but its content is not a file Atelier can read. ${SUPPORTED}` : `${shown} is not a file Atelier can read. ${SUPPORTED}`,
      415,
    );
  }
  for (const [how, said] of [["named like", byName], ["sent as", byType]] as const) {
    if (said === undefined || said === content) continue;
    const saidLabel = labelOf(said);
    throw new ProbeError(`${shown} is ${how} ${saidLabel}, but its content is ${LABEL[content]}, so it was refused. Rename or export it again with the right type.`, 415);
  }
}
