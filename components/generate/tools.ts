import { Clapperboard, Eraser, ImageIcon, Mic, ScanLine, Wand2, type LucideIcon } from "lucide-react";
import type { ToolId } from "@/lib/validation/generations";

export type ToolInfo = {
  id: ToolId;
  /** The route segment under generate/. */
  slug: string;
  name: string;
  provider: "RenderNet" | "Qolaba";
  icon: LucideIcon;
  description: string;
  /** What the results pane calls a run's output. */
  output: "image" | "video";
  /** The tint of the tool's card on the picker (an HSL hue). */
  hue: number;
};

export const TOOL_LIST: readonly ToolInfo[] = [
  {
    id: "IMAGE",
    slug: "image",
    name: "Image",
    provider: "RenderNet",
    icon: ImageIcon,
    description: "Text to image with SD 1.5, SDXL and Flux models or styles, LoRAs, ControlNet, face lock and characters.",
    output: "image",
    hue: 262,
  },
  { id: "EDIT", slug: "edit", name: "Edit", provider: "RenderNet", icon: Eraser, description: "Find something in an image and replace it with what you describe.", output: "image", hue: 340 },
  { id: "ENHANCE", slug: "enhance", name: "Enhance", provider: "RenderNet", icon: Wand2, description: "Add realistic detail and upscale an image up to 3×.", output: "image", hue: 35 },
  { id: "NARRATOR", slug: "narrator", name: "Narrator", provider: "RenderNet", icon: Mic, description: "Make the face in a video speak a script in a chosen voice, or an audio track.", output: "video", hue: 170 },
  {
    id: "IMAGE_TO_VIDEO",
    slug: "image-to-video",
    name: "Image to video",
    provider: "RenderNet",
    icon: Clapperboard,
    description: "Bring a still image to life in a 5 or 10 second clip.",
    output: "video",
    hue: 212,
  },
  {
    id: "CONTROLNET",
    slug: "controlnet",
    name: "ControlNet",
    provider: "Qolaba",
    icon: ScanLine,
    description: "Keep the edges, depth or pose of a reference image and restyle everything else.",
    output: "image",
    hue: 140,
  },
];

export const TOOLS_BY_ID = Object.fromEntries(TOOL_LIST.map((t) => [t.id, t])) as Record<ToolId, ToolInfo>;

export const toolHref = (workspace: string, tool: ToolId, reuseId?: string) =>
  `/w/${workspace}/generate/${TOOLS_BY_ID[tool].slug}${reuseId ? `?reuse=${encodeURIComponent(reuseId)}` : ""}`;

/** "Same seed, new prompt": the run's tool with its settings and seed, and an empty prompt to write. */
export const newPromptHref = (workspace: string, tool: ToolId, reuseId: string) => `${toolHref(workspace, tool, reuseId)}&prompt=new`;
