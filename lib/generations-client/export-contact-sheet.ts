import type { SheetLayout } from "@/lib/generations-client/contact-sheet";

/**
 * A contact sheet drawn on a canvas and saved as a PNG, in the browser: the thumbnails are same-origin (the
 * workspace's media routes), so the canvas stays readable and toBlob works. The layout is the page's (layoutSheet);
 * each square shows its results side by side, a grey square for a cell without one, with its status.
 */

export type SheetSquare = { thumbs: string[]; note: string | null };

const CELL = 180;
const GAP = 8;
const LABEL_W = 220;
const HEADER_H = 44;
const TITLE_H = 56;
const PAD = 24;

function loadImage(url: string): Promise<HTMLImageElement | null> {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = () => resolve(image);
    image.onerror = () => resolve(null);
    image.src = url;
  });
}

/** Text cut to fit `width`, with an ellipsis. */
function fit(context: CanvasRenderingContext2D, text: string, width: number): string {
  if (context.measureText(text).width <= width) return text;
  let cut = text;
  while (cut.length > 1 && context.measureText(`${cut}…`).width > width) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** Up to three lines of `text` within `width`. */
function lines(context: CanvasRenderingContext2D, text: string, width: number, max = 3): string[] {
  const words = text.split(/\s+/);
  const out: string[] = [];
  let line = "";
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (context.measureText(next).width <= width || !line) line = next;
    else {
      out.push(line);
      line = word;
    }
  }
  if (line) out.push(line);
  return out.length > max ? [...out.slice(0, max - 1), fit(context, out.slice(max - 1).join(" "), width)] : out;
}

export async function renderContactSheet(title: string, layout: SheetLayout, squares: SheetSquare[][]): Promise<Blob> {
  const columns = layout.columns.length;
  const width = PAD * 2 + LABEL_W + columns * (CELL + GAP);
  const height = PAD * 2 + TITLE_H + HEADER_H + layout.rows.length * (CELL + GAP);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("This browser can't draw the contact sheet.");
  context.fillStyle = "#ffffff";
  context.fillRect(0, 0, width, height);
  context.fillStyle = "#111111";
  context.font = "600 22px system-ui, sans-serif";
  context.textBaseline = "top";
  context.fillText(fit(context, title, width - PAD * 2), PAD, PAD);

  context.font = "600 13px system-ui, sans-serif";
  layout.columns.forEach((label, c) => {
    const x = PAD + LABEL_W + c * (CELL + GAP);
    lines(context, label, CELL, 2).forEach((line, i) => context.fillText(line, x, PAD + TITLE_H + i * 16));
  });

  const urls = [...new Set(squares.flat().flatMap((s) => s.thumbs))];
  const images = new Map(await Promise.all(urls.map(async (url) => [url, await loadImage(url)] as const)));

  for (let r = 0; r < layout.rows.length; r++) {
    const y = PAD + TITLE_H + HEADER_H + r * (CELL + GAP);
    context.fillStyle = "#111111";
    context.font = "13px system-ui, sans-serif";
    lines(context, layout.rows[r]!, LABEL_W - 16, 6).forEach((line, i) => context.fillText(line, PAD, y + i * 16));
    for (let c = 0; c < columns; c++) {
      const x = PAD + LABEL_W + c * (CELL + GAP);
      const square = squares[r]?.[c] ?? { thumbs: [], note: null };
      context.fillStyle = "#f1f1f1";
      context.fillRect(x, y, CELL, CELL);
      const shown = square.thumbs.slice(0, 4);
      const per = shown.length <= 1 ? 1 : 2;
      const size = CELL / per;
      shown.forEach((url, i) => {
        const image = images.get(url);
        if (!image) return;
        const scale = Math.min(size / image.naturalWidth, size / image.naturalHeight);
        const w = image.naturalWidth * scale;
        const h = image.naturalHeight * scale;
        const ox = x + (i % per) * size + (size - w) / 2;
        const oy = y + Math.floor(i / per) * size + (size - h) / 2;
        context.drawImage(image, ox, oy, w, h);
      });
      if (square.note) {
        context.fillStyle = "#666666";
        context.font = "12px system-ui, sans-serif";
        context.fillText(fit(context, square.note, CELL - 12), x + 6, y + CELL - 20);
      }
    }
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error("The contact sheet could not be saved."))), "image/png"));
}

/** Saves a blob as a file, as a download link the browser follows. */
export function saveBlob(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
