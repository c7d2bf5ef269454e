/**
 * Files the sandbox hands out (generated media, uploaded assets, thumbnails) live under dataDir/media/<provider>/.
 * Generated media are rendered lazily from a stored recipe on first read, so the URL works as soon as it is handed
 * out, and a restart never loses one.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { catalogLabel } from "./catalog";
import { CONTENT_TYPES, type Recipe } from "./recipes";
import { renderArt, renderQolaba, renderSegment, renderThumbnail, renderTrueTouch } from "./render-image";
import { renderNarrator, renderVideoAnyone } from "./render-video";
import { readJson, withLock, writeFileAtomic } from "./store";
import type { FileRef, Provider } from "./types";

const TOKEN = /^[A-Za-z0-9_-]{1,100}$/;

export function newFileToken(): string {
  return randomBytes(18).toString("base64url");
}

export function fileUrl(base: string, ref: FileRef): string {
  return `${base}/${ref.provider}/files/${ref.token}.${ref.ext}`;
}

export class MediaFiles {
  constructor(private readonly dataDir: string) {}

  private filePath(ref: FileRef): string {
    return path.join(this.dataDir, "media", ref.provider, `${ref.token}.${ref.ext}`);
  }

  private recipePath(ref: FileRef): string {
    return path.join(this.dataDir, "media", ref.provider, `${ref.token}.${ref.ext}.recipe.json`);
  }

  async saveRecipe(ref: FileRef, recipe: Recipe): Promise<void> {
    await writeFileAtomic(this.recipePath(ref), JSON.stringify(recipe));
  }

  async saveBytes(ref: FileRef, bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(this.filePath(ref), bytes);
  }

  /** The file's bytes, rendering it from its recipe if needed; null when unknown. */
  async ensure(ref: FileRef): Promise<Buffer | null> {
    if (!TOKEN.test(ref.token) || !(ref.ext in CONTENT_TYPES)) return null;
    const file = this.filePath(ref);
    const existing = await readFile(file).catch(() => null);
    if (existing) return existing;
    return withLock(`render:${file}`, async () => {
      const again = await readFile(file).catch(() => null);
      if (again) return again;
      let recipe = await readJson<Recipe>(this.recipePath(ref));
      if (!recipe && ref.token.startsWith("thumb_") && ref.ext === "png") {
        const id = ref.token.slice("thumb_".length);
        const label = catalogLabel(id);
        if (label) recipe = { kind: "thumb", id, label };
      }
      if (!recipe) return null;
      const bytes = await this.render(recipe);
      await writeFileAtomic(file, bytes);
      return bytes;
    });
  }

  private async input(ref: FileRef): Promise<Buffer> {
    const bytes = await this.ensure(ref);
    if (!bytes) throw new Error(`sandbox: input file ${ref.provider}/${ref.token}.${ref.ext} is missing`);
    return bytes;
  }

  private async render(recipe: Recipe): Promise<Buffer> {
    switch (recipe.kind) {
      case "art":
        return renderArt({
          ...recipe,
          facelock: recipe.facelock ? await this.input(recipe.facelock) : undefined,
          controlnet: recipe.controlnet ? await this.input(recipe.controlnet.file) : undefined,
        });
      case "true_touch":
        return renderTrueTouch(await this.input(recipe.input), recipe.width, recipe.height, recipe.strength);
      case "segment":
        return renderSegment(await this.input(recipe.input), recipe.find, recipe.replace);
      case "video_anyone":
        return renderVideoAnyone(await this.input(recipe.input), recipe.width, recipe.height, recipe.duration);
      case "narrator":
        return renderNarrator({ ...recipe, face: recipe.face ? await this.input(recipe.face) : undefined });
      case "qolaba":
        return renderQolaba({ ...recipe, reference: recipe.input ? await this.input(recipe.input) : undefined });
      case "thumb":
        return renderThumbnail(recipe.id, recipe.label);
    }
  }

  /** GET/HEAD <base>/<provider>/files/<token>.<ext>: public, like an S3 link. */
  async serve(provider: Provider, name: string, method: string): Promise<Response> {
    const match = /^([A-Za-z0-9_-]+)\.([a-z0-9]+)$/.exec(name);
    const notFound = () =>
      new Response(JSON.stringify({ data: null, err: { message: "file not found", code: "not_found" } }), {
        status: 404,
        headers: { "content-type": "application/json" },
      });
    if (!match) return notFound();
    const ref: FileRef = { provider, token: match[1]!, ext: match[2]! };
    const bytes = await this.ensure(ref);
    if (!bytes) return notFound();
    const headers = {
      "content-type": CONTENT_TYPES[ref.ext] ?? "application/octet-stream",
      "content-length": String(bytes.length),
      "cache-control": "public, max-age=31536000, immutable",
    };
    return new Response(method === "HEAD" ? null : new Uint8Array(bytes), { status: 200, headers });
  }
}
