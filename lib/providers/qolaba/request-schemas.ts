import { z } from "zod";

/**
 * Inputs of the Qolaba client, in Atelier's words (camelCase), with the documented ranges. Client-safe: forms may
 * import this. The client maps them to the wire names (negative_prompt, guidance_scale, num_inference_steps,
 * inference_type, celery).
 */

type IssueInput = { input?: unknown };
const orRequired = (message: string) => (issue: IssueInput) => (issue.input === undefined ? "is required" : message);
const nonEmpty = () =>
  z.string({ error: orRequired("must be text") }).refine((value) => value.trim() !== "", { error: "must not be empty" });
const between = (min: number, max: number) =>
  z
    .number({ error: orRequired("must be a number") })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });
const intBetween = (min: number, max: number) =>
  z
    .int({ error: orRequired("must be a whole number") })
    .min(min, { error: `must be between ${min} and ${max}` })
    .max(max, { error: `must be between ${min} and ${max}` });

export const qolabaControlNetApps = {
  canny: "ap-1us0FK21Ach6eiWxo22is8",
  depth: "ap-WrXnJBXy23XpPh6IlH5tRX",
  pose: "ap-a1b2c3d4e5f6g7h8i9j0kq",
} as const;
export type QolabaControlNetKind = keyof typeof qolabaControlNetApps;

export const qolabaGpus = ["a10g", "a100", "h100"] as const;

const publicUrl = z
  .string({ error: orRequired("must be a URL") })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return url.protocol === "https:" || url.protocol === "http:";
      } catch {
        return false;
      }
    },
    { error: "must be a public http(s) URL" },
  );

const common = {
  negativePrompt: z.string({ error: "must be text" }).optional(),
  guidanceScale: between(1, 30).optional(),
  batch: intBetween(1, 8).optional(),
  steps: intBetween(1, 50).optional(),
  gpu: z.enum(qolabaGpus, { error: `must be one of ${qolabaGpus.join(", ")}` }).optional(),
  /** true (default): queue the task (`celery: true`) and poll getTask. */
  queued: z.boolean({ error: "must be true or false" }).default(true),
};

export const imageToImageInputSchema = z.object({
  kind: z.enum(["canny", "depth", "pose"], { error: orRequired("must be one of canny, depth, pose") }),
  image: publicUrl,
  prompt: z.string({ error: "must be text" }).optional(),
  strength: z
    .number({ error: "must be a number" })
    .gt(0, { error: "must be more than 0 and at most 1" })
    .max(1, { error: "must be more than 0 and at most 1" })
    .optional(),
  ...common,
});
export type ImageToImageInput = z.input<typeof imageToImageInputSchema>;

export const textToImageInputSchema = z.object({
  appId: nonEmpty(),
  prompt: nonEmpty(),
  width: intBetween(256, 1536).optional(),
  height: intBetween(256, 1536).optional(),
  ...common,
});
export type TextToImageInput = z.input<typeof textToImageInputSchema>;
