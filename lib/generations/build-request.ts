import "server-only";
import type { MediaKind, ProviderName } from "@/lib/generated/prisma/enums";
import type { WorkspaceConnection } from "@/lib/connections/workspace";
import { ensureRenderNetAsset, knownRenderNetAsset, providerFetchableUrl, resolveInput, type ResolvedInput } from "@/lib/generations/inputs";
import type { ImageToImageInput } from "@/lib/providers/qolaba/request-schemas";
import {
  imageItem,
  narratorItem,
  segmentItem,
  trueTouchItem,
  videoAnyoneItem,
  type GenerationItemInput,
  type ImageItemInput,
  type NarratorInput,
} from "@/lib/providers/rendernet/request-schemas";
import type { GenerationRequest, InputRef } from "@/lib/validation/generations";

/**
 * From a form's run (lib/validation/generations.ts) to the provider request: one RenderNet generation item (built
 * with the request-schemas builders; the client validates it again, with the catalogue, before sending) or one
 * Qolaba image-to-image input. Inputs are resolved in the workspace and uploaded to the provider once.
 *
 * `request` is what is stored on the Generation (no keys): the connection it was built for, and the body.
 * With `uploads: "later"` (the submit: it must not wait for the provider) nothing is uploaded: every input is still
 * resolved and checked, inputs already at the provider are used, and the others are counted in `pendingUploads` and
 * stand as placeholders in `request`, which must then be neither stored nor sent: the run's job builds it again.
 */
export type StoredRequest =
  | { connectionId: string; provider: "rendernet"; items: GenerationItemInput[] }
  | { connectionId: string; provider: "qolaba"; input: ImageToImageInput };

export interface BuiltRequest {
  provider: ProviderName;
  request: StoredRequest;
  mediaKind: MediaKind;
  /** Media items the run asks for. */
  expected: number;
  prompt: string | null;
  modelLabel: string | null;
  /** The gallery item used as an input (lineage). */
  inputMediaId: string | null;
  /** An input image that can stand for a video's poster (none exists without decoding the video). */
  posterKey: string | null;
  /** Inputs not at the provider yet (only with `uploads: "later"`): when > 0, `request` holds placeholders. */
  pendingUploads: number;
}

export interface BuildOptions {
  /** "now" (default): upload what the provider does not have yet. "later": upload nothing (see above). */
  uploads?: "now" | "later";
}

/** Stands for an input's provider id or URL until its upload (never sent: see `pendingUploads`). */
const PENDING_UPLOAD = "pending-upload";

export const VIDEO_TOOLS = new Set(["NARRATOR", "IMAGE_TO_VIDEO"]);

export async function buildRequest(
  connection: WorkspaceConnection,
  workspaceId: string,
  run: GenerationRequest,
  options: BuildOptions = {},
): Promise<BuiltRequest> {
  const later = options.uploads === "later";
  let pendingUploads = 0;
  const inputs: ResolvedInput[] = [];
  const resolve = async (ref: InputRef, kind: MediaKind) => {
    const input = await resolveInput(workspaceId, ref, kind);
    inputs.push(input);
    return input;
  };
  const upload = async (input: ResolvedInput): Promise<string> => {
    if (!later) return ensureRenderNetAsset(connection, workspaceId, input);
    const known = await knownRenderNetAsset(connection, workspaceId, input);
    if (known) return known;
    pendingUploads++;
    return PENDING_UPLOAD;
  };
  const fetchableUrl = async (input: ResolvedInput): Promise<string> => {
    const url = await providerFetchableUrl(connection, workspaceId, input, { upload: !later });
    if (url !== null) return url;
    pendingUploads++;
    return PENDING_UPLOAD;
  };
  const rendernet = (items: GenerationItemInput[]): StoredRequest => ({ connectionId: connection.connectionId, provider: "rendernet", items });
  const lineage = () => inputs.find((input) => input.mediaId)?.mediaId ?? null;
  const common = { provider: "RENDERNET" as ProviderName, mediaKind: "IMAGE" as MediaKind, expected: 1, posterKey: null };
  const built = (request: Omit<BuiltRequest, "pendingUploads">): BuiltRequest => ({ ...request, pendingUploads });

  switch (run.tool) {
    case "IMAGE": {
      const p = run.params;
      const item: Partial<ImageItemInput> = {
        prompt: { positive: p.prompt, negative: p.negativePrompt },
        aspect_ratio: p.aspectRatio,
        batch_size: p.batchSize,
      };
      if (p.base.kind === "model") item.model = p.base.name;
      else item.style_detail = p.base.baseModel ? { name: p.base.name, base_model: p.base.baseModel } : { name: p.base.name };
      if (p.guidance !== undefined) item.cfg_scale = p.guidance;
      if (p.steps !== undefined) item.steps = p.steps;
      if (p.sampler !== undefined) item.sampler = p.sampler;
      if (p.quality !== undefined) item.quality = p.quality;
      if (p.seed !== null) item.seed = p.seed;
      if (p.loras.length > 0) item.loras = p.loras.map((lora) => ({ name: lora.name, weight: lora.weight }));
      if (p.controlNet) {
        const image = await resolve(p.controlNet.image, "IMAGE");
        item.control_net = {
          asset_id: await upload(image),
          name: p.controlNet.name,
          control_mode: p.controlNet.controlMode,
          resize_mode: p.controlNet.resizeMode,
        };
      }
      if (p.faceLock) item.facelock = { asset_id: await upload(await resolve(p.faceLock.image, "IMAGE")) };
      if (p.character) item.character = { character_id: p.character.id, mode: p.character.mode };
      return built({
        ...common,
        request: rendernet([imageItem(item as ImageItemInput)]),
        expected: p.batchSize,
        prompt: p.prompt,
        modelLabel: p.base.name,
        inputMediaId: lineage(),
      });
    }
    case "EDIT": {
      const p = run.params;
      const image = await resolve(p.image, "IMAGE");
      const item = segmentItem({ asset_id: await upload(image), find: p.find, replace: p.replace });
      return built({ ...common, request: rendernet([item]), prompt: `${p.find} → ${p.replace}`, modelLabel: null, inputMediaId: lineage() });
    }
    case "ENHANCE": {
      const p = run.params;
      const image = await resolve(p.image, "IMAGE");
      const item = trueTouchItem({ asset_id: await upload(image), enhance_strength: p.strength, scale_factor: p.scale });
      return built({ ...common, request: rendernet([item]), prompt: null, modelLabel: `${p.scale}×`, inputMediaId: lineage() });
    }
    case "NARRATOR": {
      const p = run.params;
      const video = await resolve(p.video, "VIDEO");
      const narrator: NarratorInput = { video_asset_id: await upload(video) };
      if (p.mode === "script") {
        narrator.script = p.script;
        narrator.voice = p.voice;
      } else if (p.audio) {
        narrator.audio_asset_id = await upload(await resolve(p.audio, "AUDIO"));
      }
      let posterKey: string | null = null;
      if (p.face) {
        const face = await resolve(p.face, "IMAGE");
        narrator.image_asset_id = await upload(face);
        posterKey = face.storageKey;
      }
      return built({
        ...common,
        mediaKind: "VIDEO",
        request: rendernet([narratorItem(narrator)]),
        prompt: p.mode === "script" ? p.script : null,
        modelLabel: p.mode === "script" ? p.voice : null,
        inputMediaId: lineage(),
        posterKey,
      });
    }
    case "IMAGE_TO_VIDEO": {
      const p = run.params;
      const image = await resolve(p.image, "IMAGE");
      // A RenderNet image of this very account can be animated by its media id; anything else is uploaded.
      const mediaId =
        image.providerMediaId && image.providerConnection === connection.connectionId ? image.providerMediaId : await upload(image);
      const item = videoAnyoneItem(p.prompt ? { media_id: mediaId, prompt: p.prompt, duration: p.duration } : { media_id: mediaId, duration: p.duration });
      return built({
        ...common,
        mediaKind: "VIDEO",
        request: rendernet([item]),
        prompt: p.prompt || null,
        modelLabel: `${p.duration} s`,
        inputMediaId: lineage(),
        posterKey: image.storageKey,
      });
    }
    case "CONTROLNET": {
      const p = run.params;
      const image = await resolve(p.image, "IMAGE");
      const input: ImageToImageInput = {
        kind: p.kind,
        image: await fetchableUrl(image),
        prompt: p.prompt,
        negativePrompt: p.negativePrompt,
        guidanceScale: p.guidance,
        batch: p.batch,
        strength: p.strength,
        steps: p.steps,
        gpu: p.gpu,
        queued: true,
      };
      return built({
        provider: "QOLABA",
        mediaKind: "IMAGE",
        request: { connectionId: connection.connectionId, provider: "qolaba", input },
        expected: p.batch,
        prompt: p.prompt,
        modelLabel: p.kind[0]!.toUpperCase() + p.kind.slice(1),
        inputMediaId: lineage(),
        posterKey: null,
      });
    }
  }
}

/** Deadline of a run from when it is sent: 10 minutes for images, 30 for videos. */
export function deadlineFor(mediaKind: MediaKind, from: Date): Date {
  return new Date(from.getTime() + (mediaKind === "VIDEO" ? 30 : 10) * 60_000);
}
