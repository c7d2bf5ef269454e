/** Shared types of the provider sandbox. Nothing here is shared with lib/: the sandbox reads the contract on its own. */

export interface Schedule {
  /** initiated -> pending after this many ms. */
  pendingAfterMs: number;
  /** pending -> final (images, Qolaba tasks) after this many ms from creation. */
  finalAfterMs: number;
  /** pending -> final for videos (video_anyone, narrator). */
  videoFinalAfterMs: number;
  /** Uploaded asset: pending -> active|failed this many ms after its bytes arrived. */
  assetReadyAfterMs: number;
}

export const DEFAULT_SCHEDULE: Schedule = {
  pendingAfterMs: 1000,
  finalAfterMs: 4000,
  videoFinalAfterMs: 10_000,
  assetReadyAfterMs: 300,
};

export const FAST_SCHEDULE: Schedule = {
  pendingAfterMs: 200,
  finalAfterMs: 1000,
  videoFinalAfterMs: 2000,
  assetReadyAfterMs: 50,
};

export interface SandboxOptions {
  dataDir: string;
  /** '' standalone, '/sandbox' when mounted in the Next app. */
  basePath?: string;
  testHooks?: boolean;
  schedule?: Partial<Schedule>;
  startingCredits?: number;
  now?: () => number;
  /**
   * Whether Qolaba tasks may fetch reference images from other hosts, as the real provider does (default true).
   * Mounted inside a server that others can reach, set false: the sandbox then only reads images it hosts itself,
   * so it cannot be used to make that server fetch arbitrary URLs.
   */
  fetchExternalImages?: boolean;
}

export type Provider = "rendernet" | "qolaba";

export type MediaOutcome = "success" | "failed" | "censored";
export type MediaType = "image" | "video";

/** A reference to a file the sandbox stores (and maybe renders lazily) under dataDir/media/<provider>/. */
export interface FileRef {
  provider: Provider;
  token: string;
  ext: string;
}

export interface StoredMedia {
  id: string;
  type: MediaType;
  dim: { width: number; height: number };
  model?: string;
  style?: string;
  style_detail?: { name: string; base_model: string };
  seed?: number;
  outcome: MediaOutcome;
  failReason?: string;
  file?: FileRef;
}

export interface StoredGeneration {
  id: string;
  createdAtMs: number;
  tool: string;
  credits: number;
  media: StoredMedia[];
}

export type AssetType = "image" | "video" | "audio";

export interface StoredAsset {
  id: string;
  type: AssetType;
  api: "v1" | "v2";
  createdAtMs: number;
  declaredSize: { width: number; height: number };
  uploadToken: string;
  uploadedAtMs?: number;
  outcome?: "active" | "failed";
  failReason?: string;
  size?: { width: number; height: number };
  duration?: number;
  frames?: number;
  file?: FileRef;
}

export interface StoredCharacter {
  id: string;
  name: string;
  character_type: "realistic" | "stylized";
  prompt: string;
  asset_id: string;
  input_image: string;
  createdAtMs: number;
}

export interface StoredTask {
  id: string;
  app_id: string;
  kind: "img2img" | "txt2img";
  celery: boolean;
  createdAtMs: number;
  input: unknown;
  outcome: "SUCCESS" | "FAILED";
  error?: string;
  error_data?: unknown;
  results: { file: FileRef; nsfw: boolean }[];
}

export type FaultKind = "rate_limit" | "server_error" | "hang" | "malformed" | "lost_response" | "cut_off" | "latency";

export interface FaultRule {
  method?: string;
  path: string;
  fault: FaultKind;
  /**
   * server_error, malformed, hang: carry the request out first (a create makes and charges its generations), then
   * answer with the fault. Without it those faults do nothing else. lost_response and cut_off always carry it out.
   */
  performed?: boolean;
  status?: number;
  retryAfter?: number;
  latencyMs?: number;
  times: number;
}

export interface CallRecord {
  id: string;
  method: string;
  path: string;
  time: number;
  status?: number;
  fault?: FaultKind;
  generation_ids?: string[];
  task_id?: string;
}

export interface AccountState {
  version: 1;
  provider: Provider;
  createdAtMs: number;
  credits: number;
  schedule?: Partial<Schedule>;
  generations: StoredGeneration[];
  assets: StoredAsset[];
  characters: StoredCharacter[];
  tasks: StoredTask[];
  faults: FaultRule[];
  calls: CallRecord[];
}
