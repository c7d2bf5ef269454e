/**
 * What the providers refuse about an input, checked in the browser before anything is spent. The limits mirror the
 * contract (docs/providers.md): narrator videos at most 30 fps and 1080 × 1920 either way round; Image to video
 * takes a 3:5 or 5:3 image, within 2%.
 */

export const NARRATOR_MAX_FPS = 30;
export const NARRATOR_MAX_LONG_SIDE = 1920;
export const NARRATOR_MAX_SHORT_SIDE = 1080;
/** Frames / duration of a 30 fps file reads a hair over 30 when its duration is rounded down. */
const FPS_TOLERANCE = 0.01;

export function narratorVideoProblem(video: { width: number | null; height: number | null; frameRate: number | null }): string | null {
  const { width, height, frameRate } = video;
  if (frameRate !== null && frameRate > NARRATOR_MAX_FPS + FPS_TOLERANCE) {
    return `This video runs at ${formatFps(frameRate)} fps; the narrator takes at most ${NARRATOR_MAX_FPS} fps. Export it at 30 fps or less.`;
  }
  if (width !== null && height !== null) {
    const long = Math.max(width, height);
    const short = Math.min(width, height);
    if (long > NARRATOR_MAX_LONG_SIDE || short > NARRATOR_MAX_SHORT_SIDE) {
      return `This video is ${width} × ${height}; the narrator takes at most 1080 × 1920 (or 1920 × 1080). Export a smaller version.`;
    }
  }
  return null;
}

export function formatFps(fps: number): string {
  return Number.isInteger(Math.round(fps * 100) / 100) ? String(Math.round(fps)) : fps.toFixed(2).replace(/0$/, "");
}

export type VideoOrientation = "portrait" | "landscape";

/** Image to video's two accepted shapes, width / height. */
export const VIDEO_ANYONE_RATIOS: Record<VideoOrientation, number> = { portrait: 3 / 5, landscape: 5 / 3 };
const RATIO_TOLERANCE = 0.02;

/** Which accepted shape the image already has, or null when it needs cropping. */
export function videoAnyoneShape(width: number, height: number): VideoOrientation | null {
  if (width <= 0 || height <= 0) return null;
  const ratio = width / height;
  for (const orientation of ["portrait", "landscape"] as const) {
    if (Math.abs(ratio / VIDEO_ANYONE_RATIOS[orientation] - 1) <= RATIO_TOLERANCE) return orientation;
  }
  return null;
}

/** The accepted shape closest to the image's own, for the crop helper's first suggestion. */
export function nearestVideoAnyoneShape(width: number, height: number): VideoOrientation {
  return width >= height ? "landscape" : "portrait";
}

export type CropRect = { x: number; y: number; width: number; height: number };

/** The largest rectangle of `ratio` (width / height) that fits the image, centred; whole pixels. */
export function largestCrop(imageWidth: number, imageHeight: number, ratio: number): CropRect {
  let width = imageWidth;
  let height = Math.round(imageWidth / ratio);
  if (height > imageHeight) {
    height = imageHeight;
    width = Math.min(imageWidth, Math.round(imageHeight * ratio));
  }
  return { x: Math.round((imageWidth - width) / 2), y: Math.round((imageHeight - height) / 2), width, height };
}

/** Keeps a crop inside the image: shrinks it (keeping its ratio) if too large, then slides it back in. */
export function clampCrop(crop: CropRect, imageWidth: number, imageHeight: number, ratio: number, minWidth = 32): CropRect {
  const max = largestCrop(imageWidth, imageHeight, ratio);
  const width = Math.round(Math.min(max.width, Math.max(Math.min(minWidth, max.width), crop.width)));
  const height = Math.min(imageHeight, Math.round(width / ratio));
  const x = Math.round(Math.min(Math.max(0, crop.x), imageWidth - width));
  const y = Math.round(Math.min(Math.max(0, crop.y), imageHeight - height));
  return { x, y, width, height };
}

/** Resizes a crop around its top-left corner to `width`, keeping its ratio and staying inside the image. */
export function resizeCrop(crop: CropRect, width: number, imageWidth: number, imageHeight: number, ratio: number): CropRect {
  const maxWidth = Math.min(imageWidth - crop.x, (imageHeight - crop.y) * ratio);
  const next = Math.max(32, Math.min(width, maxWidth));
  return clampCrop({ x: crop.x, y: crop.y, width: next, height: next / ratio }, imageWidth, imageHeight, ratio);
}

/** Output size of Enhance: the input scaled by the factor, in whole pixels. */
export function scaledSize(width: number, height: number, factor: number): { width: number; height: number } {
  return { width: Math.round(width * factor), height: Math.round(height * factor) };
}

/** "3:2", "16:9"... for a size, or the decimal ratio when it isn't a small fraction. */
export function ratioLabel(width: number, height: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const d = gcd(width, height);
  const w = width / d;
  const h = height / d;
  if (w <= 32 && h <= 32) return `${w}:${h}`;
  return `${(width / height).toFixed(2)}:1`;
}
