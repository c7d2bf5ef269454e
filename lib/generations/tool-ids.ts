/** The tools, as stored (Prisma's Tool enum). A module without dependencies, so browser code can read it cheaply. */
export const TOOLS = ["IMAGE", "EDIT", "ENHANCE", "NARRATOR", "IMAGE_TO_VIDEO", "CONTROLNET"] as const;
export type ToolId = (typeof TOOLS)[number];
