/**
 * Deterministic pictures: an SVG composition drawn from the prompt and seed, rendered to PNG by sharp. Same recipe,
 * same bytes. Input-derived outputs (true_touch, segment, ControlNet, Qolaba) visibly derive from their input.
 */
import { createHash } from "node:crypto";
import sharp from "sharp";
type Sharp = ReturnType<typeof sharp>;
type OverlayOptions = NonNullable<Parameters<Sharp["composite"]>[0]>[number];

export function hash32(text: string): number {
  return createHash("sha256").update(text).digest().readUInt32BE(0);
}

export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export function palette(text: string, seed: number, count = 5): string[] {
  const base = hash32(text) % 360;
  const random = prng(hash32(`${text}|${seed}`));
  return Array.from({ length: count }, (_, i) => {
    const hue = Math.round((base + i * 47 + random() * 40) % 360);
    const sat = Math.round(45 + random() * 45);
    const light = Math.round(30 + random() * 45);
    return `hsl(${hue},${sat}%,${light}%)`;
  });
}

export interface ArtInput {
  width: number;
  height: number;
  prompt: string;
  seed: number;
  index: number;
  label: string;
  character?: string;
}

function wrapWords(text: string, perLine: number, maxLines: number): string[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = "";
  for (const word of words) {
    if ((line + " " + word).trim().length > perLine) {
      lines.push(line.trim());
      line = word;
      if (lines.length === maxLines) break;
    } else line += ` ${word}`;
  }
  if (line.trim() && lines.length < maxLines) lines.push(line.trim());
  return lines;
}

export function artSvg(input: ArtInput): string {
  const { width: w, height: h } = input;
  const colors = palette(input.prompt, input.seed + input.index * 7919);
  const random = prng(hash32(`${input.prompt}|${input.seed}|${input.index}`));
  const u = Math.min(w, h);
  const shapes: string[] = [];
  // Sun / moon.
  shapes.push(`<circle cx="${(0.2 + random() * 0.6) * w}" cy="${(0.15 + random() * 0.25) * h}" r="${u * (0.08 + random() * 0.1)}" fill="${colors[3]}" opacity="0.9"/>`);
  // Hills.
  for (let layer = 0; layer < 3; layer++) {
    const baseY = h * (0.55 + layer * 0.13);
    let d = `M0 ${h} L0 ${baseY}`;
    const steps = 6;
    for (let i = 1; i <= steps; i++) {
      const x = (w * i) / steps;
      const y = baseY - random() * h * 0.18;
      d += ` Q${x - w / steps / 2} ${y - h * 0.08} ${x} ${y}`;
    }
    d += ` L${w} ${h} Z`;
    shapes.push(`<path d="${d}" fill="${colors[(layer + 1) % colors.length]}" opacity="${0.65 + layer * 0.12}"/>`);
  }
  // Floating shapes.
  const count = 5 + Math.floor(random() * 6);
  for (let i = 0; i < count; i++) {
    const cx = random() * w;
    const cy = random() * h * 0.7;
    const r = u * (0.02 + random() * 0.08);
    shapes.push(
      random() < 0.5
        ? `<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="${r.toFixed(1)}" fill="${colors[i % colors.length]}" opacity="${(0.35 + random() * 0.5).toFixed(2)}"/>`
        : `<rect x="${cx.toFixed(1)}" y="${cy.toFixed(1)}" width="${(r * 2).toFixed(1)}" height="${(r * 1.4).toFixed(1)}" transform="rotate(${Math.round(random() * 90)} ${cx.toFixed(1)} ${cy.toFixed(1)})" fill="${colors[(i + 2) % colors.length]}" opacity="${(0.3 + random() * 0.5).toFixed(2)}"/>`,
    );
  }
  if (input.character) {
    const cx = w * 0.5;
    const top = h * 0.42;
    const s = u * 0.12;
    shapes.push(
      `<g fill="#1b1b1f" opacity="0.85"><circle cx="${cx}" cy="${top}" r="${s * 0.45}"/><rect x="${cx - s * 0.45}" y="${top + s * 0.5}" width="${s * 0.9}" height="${s * 1.5}" rx="${s * 0.3}"/></g>`,
      `<text x="${cx}" y="${top - s * 0.6}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="${Math.round(u * 0.03)}" fill="#fff">${escapeXml(input.character)}</text>`,
    );
  }
  const fontSize = Math.max(9, Math.round(u / 64));
  const lines = wrapWords(input.prompt || "(no prompt)", Math.floor((w * 0.55) / (fontSize * 0.6)), 4);
  const text = lines
    .map((line, i) => `<text x="${fontSize}" y="${h - fontSize * (lines.length - i) - fontSize * 0.5}" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff" fill-opacity="0.85">${escapeXml(line)}</text>`)
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<defs><linearGradient id="sky" x1="0" y1="0" x2="${random() < 0.5 ? 1 : 0}" y2="1"><stop offset="0" stop-color="${colors[0]}"/><stop offset="1" stop-color="${colors[4]}"/></linearGradient></defs>
<rect width="${w}" height="${h}" fill="url(#sky)"/>
${shapes.join("\n")}
${text}
<text x="${w - fontSize}" y="${fontSize * 1.6}" text-anchor="end" font-family="DejaVu Sans, sans-serif" font-size="${fontSize}" fill="#ffffff" fill-opacity="0.7">${escapeXml(`${input.label} · seed ${input.seed}`)}</text>
</svg>`;
}

const png = (image: Sharp) => image.png({ compressionLevel: 6 }).toBuffer();

export async function renderArt(input: ArtInput & { facelock?: Buffer; controlnet?: Buffer }): Promise<Buffer> {
  const layers: OverlayOptions[] = [];
  if (input.controlnet) {
    const edges = await edgeMap(input.controlnet, input.width, input.height);
    layers.push({ input: edges, blend: "screen" });
  }
  if (input.facelock) {
    const size = Math.round(Math.min(input.width, input.height) * 0.22);
    const mask = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><circle cx="${size / 2}" cy="${size / 2}" r="${size / 2}" fill="#fff"/></svg>`);
    const face = await sharp(input.facelock).resize(size, size, { fit: "cover" }).composite([{ input: mask, blend: "dest-in" }]).png().toBuffer();
    layers.push({ input: face, left: Math.round(input.width * 0.05), top: Math.round(input.height * 0.05) });
  }
  return png(sharp(Buffer.from(artSvg(input))).composite(layers));
}

/** White edges on black, the structure of the reference at (width, height). */
export async function edgeMap(image: Buffer, width: number, height: number, threshold = 24): Promise<Buffer> {
  // sharp applies operations in a fixed order within one pipeline, so each step gets its own.
  const grey = await sharp(image).flatten({ background: "#000000" }).resize(width, height, { fit: "cover" }).greyscale().png().toBuffer();
  const laplacian = await sharp(grey).convolve({ width: 3, height: 3, kernel: [-1, -1, -1, -1, 8, -1, -1, -1, -1] }).png().toBuffer();
  // Threshold and thicken the 1 px lines so the structure stays visible at any viewing size.
  const lines = await sharp(laplacian).threshold(threshold).png().toBuffer();
  const soft = await sharp(lines).blur(Math.max(0.8, Math.min(width, height) / 600)).png().toBuffer();
  return sharp(soft).threshold(40).toColourspace("srgb").png().toBuffer();
}

export async function renderTrueTouch(input: Buffer, width: number, height: number, strength: number): Promise<Buffer> {
  const s = Math.min(1, Math.max(0, Number.isFinite(strength) ? strength : 0.5));
  return png(sharp(input).resize(width, height, { fit: "fill", kernel: "lanczos3" }).sharpen({ sigma: 0.5 + s * 2 }).modulate({ saturation: 1 + s * 0.2 }));
}

export async function renderSegment(input: Buffer, find: string, replace: string): Promise<Buffer> {
  const meta = await sharp(input).metadata();
  const w = meta.width ?? 512;
  const h = meta.height ?? 512;
  const random = prng(hash32(`${find}|${replace}`));
  const [color] = palette(replace, 0, 1);
  const cx = w * (0.3 + random() * 0.4);
  const cy = h * (0.3 + random() * 0.4);
  const rx = w * (0.15 + random() * 0.1);
  const ry = h * (0.15 + random() * 0.1);
  const font = Math.max(10, Math.round(Math.min(w, h) / 28));
  const overlay = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
<ellipse cx="${cx}" cy="${cy}" rx="${rx}" ry="${ry}" fill="${color}" fill-opacity="0.55" stroke="#fff" stroke-width="${Math.max(2, font / 5)}" stroke-dasharray="${font / 2} ${font / 3}"/>
<text x="${cx}" y="${cy}" text-anchor="middle" font-family="DejaVu Sans, sans-serif" font-size="${font}" fill="#fff">${escapeXml(replace)}</text>
<text x="${font}" y="${h - font}" font-family="DejaVu Sans, sans-serif" font-size="${Math.round(font * 0.7)}" fill="#fff" fill-opacity="0.85">${escapeXml(`${find} → ${replace}`)}</text>
</svg>`;
  return png(sharp(input).composite([{ input: Buffer.from(overlay) }]));
}

export type QolabaApp = "canny" | "depth" | "pose" | "img2img" | "txt2img";

export async function renderQolaba(input: {
  app: QolabaApp;
  reference?: Buffer;
  width: number;
  height: number;
  prompt: string;
  seed: number;
  index: number;
}): Promise<Buffer> {
  const { width, height } = input;
  const art = await sharp(Buffer.from(artSvg({ width, height, prompt: input.prompt, seed: input.seed, index: input.index, label: `qolaba ${input.app}` }))).png().toBuffer();
  if (!input.reference || input.app === "txt2img") return png(sharp(art));
  const [tint] = palette(input.prompt, input.seed + input.index * 31, 1);
  const random = prng(hash32(`${input.prompt}|${input.seed}|${input.index}|pose`));
  if (input.app === "canny") {
    const edges = await edgeMap(input.reference, width, height);
    const colored = await sharp({ create: { width, height, channels: 3, background: tint! } })
      .composite([{ input: edges, blend: "multiply" }])
      .png()
      .toBuffer();
    return png(sharp(art).modulate({ brightness: 0.35 }).composite([{ input: colored, blend: "screen" }]));
  }
  if (input.app === "depth") {
    const depth = await sharp(input.reference).flatten({ background: "#000000" }).resize(width, height, { fit: "cover" }).greyscale().blur(6 + input.index * 2).normalise().toColourspace("srgb").png().toBuffer();
    return png(sharp(depth).composite([{ input: art, blend: "soft-light" }]));
  }
  // Pose (and plain img2img): the reference, darkened, with a stick figure over it.
  const ref = await sharp(input.reference).resize(width, height, { fit: "cover" }).modulate({ brightness: 0.6 }).png().toBuffer();
  const cx = width * (0.35 + random() * 0.3);
  const u = Math.min(width, height) / 10;
  const top = height * 0.2;
  const lw = Math.max(3, u / 6);
  const swing = (random() - 0.5) * u;
  const figure = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><g stroke="${tint}" stroke-width="${lw}" stroke-linecap="round" fill="none">
<circle cx="${cx}" cy="${top}" r="${u * 0.6}" fill="${tint}" fill-opacity="0.4"/>
<line x1="${cx}" y1="${top + u * 0.6}" x2="${cx}" y2="${top + u * 3.5}"/>
<line x1="${cx}" y1="${top + u * 1.3}" x2="${cx - u * 1.6}" y2="${top + u * 2.2 + swing}"/>
<line x1="${cx}" y1="${top + u * 1.3}" x2="${cx + u * 1.6}" y2="${top + u * 2.2 - swing}"/>
<line x1="${cx}" y1="${top + u * 3.5}" x2="${cx - u}" y2="${top + u * 5.5}"/>
<line x1="${cx}" y1="${top + u * 3.5}" x2="${cx + u}" y2="${top + u * 5.5}"/>
</g></svg>`;
  const blended = input.app === "img2img" ? [{ input: art, blend: "overlay" as const }] : [];
  return png(sharp(ref).composite([...blended, { input: Buffer.from(figure) }]));
}

export async function renderThumbnail(id: string, label: string): Promise<Buffer> {
  return png(sharp(Buffer.from(artSvg({ width: 192, height: 192, prompt: label, seed: hash32(id), index: 0, label }))));
}
